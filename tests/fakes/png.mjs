// Tiny PNG encoder (RGB, 8 bits per channel) plus the few image sniffing helpers the
// fakes need. Written against the PNG spec (RFC 2083) with node:zlib for DEFLATE, so the
// fakes can hand back real, decodable images of exactly the size a client asked for
// without shipping image files or an image library.
import { deflateSync } from 'node:zlib';
import { createHash } from 'node:crypto';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

// CRC-32 (IEEE, reflected, poly 0xEDB88320) as PNG chunks need it. node:zlib only exposes
// crc32() from Node 22 on, and the fakes must run on Node 18.
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(buf) {
  let c = 0xffffffff;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([len, typeAndData, crc]);
}

// Two RGB colours derived from any seed value (number or string). Hashing means seeds
// 1 and 2 give unrelated colours, so tests can tell images apart by their bytes.
export function seedColours(seed) {
  const h = createHash('sha256').update(`adloom-fake:${seed}`).digest();
  return { a: [h[0], h[1], h[2]], b: [h[3], h[4], h[5]] };
}

// encodePng({width, height, seed, style}) -> Buffer holding a complete PNG file.
// style 'gradient' (default) fades colour a -> b left to right; 'solid' fills colour a.
// Every row is identical, so rows after the first use PNG filter 2 ("Up"), which turns
// them into zeros: even 4096x4096 compresses to a few kB and encodes quickly.
export function encodePng({ width, height, seed = 0, style = 'gradient' }) {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`bad PNG size ${width}x${height}`);
  }
  const { a, b } = seedColours(seed);
  const rowLen = 1 + width * 3;
  const row = Buffer.alloc(rowLen);
  row[0] = 0; // filter "None" for the first row
  for (let x = 0; x < width; x++) {
    const t = style === 'solid' || width === 1 ? 0 : x / (width - 1);
    for (let ch = 0; ch < 3; ch++) row[1 + x * 3 + ch] = Math.round(a[ch] + (b[ch] - a[ch]) * t);
  }
  const raw = Buffer.alloc(rowLen * height); // zero-filled: later rows = filter Up, deltas 0
  row.copy(raw, 0);
  for (let y = 1; y < height; y++) raw[y * rowLen] = 2;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // colour type 2 = truecolour RGB
  ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0; // deflate, adaptive filtering, no interlace
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Which image format the bytes are, by magic number: 'png' | 'jpeg' | 'gif' | 'webp' | null.
export function sniffImage(buf) {
  if (!buf || buf.length < 12) return null;
  if (buf.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
  const head6 = buf.subarray(0, 6).toString('latin1');
  if (head6 === 'GIF87a' || head6 === 'GIF89a') return 'gif';
  if (buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return null;
}

// Pixel size of a PNG (from IHDR) or baseline/progressive JPEG (from the SOFn marker);
// null when the bytes are neither or are cut short. Used to check input-image limits and
// by the self-check to read back the size of generated images.
export function imageSize(buf) {
  const kind = sniffImage(buf);
  if (kind === 'png') {
    if (buf.length < 24 || buf.subarray(12, 16).toString('latin1') !== 'IHDR') return null;
    return { format: 'png', width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  }
  if (kind === 'jpeg') {
    let i = 2;
    while (i + 9 < buf.length) {
      if (buf[i] !== 0xff) return null;
      const marker = buf[i + 1];
      if (marker === 0xff) { i++; continue; } // fill byte
      const len = buf.readUInt16BE(i + 2);
      const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isSof) return { format: 'jpeg', height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
      i += 2 + len;
    }
    return null;
  }
  return null;
}
