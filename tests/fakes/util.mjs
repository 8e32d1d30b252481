// Small helpers shared by every fake: strict base64, abortable sleeps, JSON replies,
// deterministic hashing and the redaction used by the request log.
import { createHash } from 'node:crypto';
import { sniffImage, imageSize } from './png.mjs';

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

// Strict standard base64 (RFC 4648 §4, padded, no whitespace, no URL-safe alphabet):
// Buffer.from(x, 'base64') silently skips junk, which would hide client encoding bugs
// that a real service rejects. Returns {bytes} or {error}.
export function decodeBase64(str) {
  if (typeof str !== 'string') return { error: 'is not a base64 string' };
  if (str.length === 0) return { error: 'is an empty base64 string' };
  if (str.length % 4 !== 0 || !BASE64_RE.test(str)) {
    return { error: 'is not valid padded standard base64 (A-Z a-z 0-9 + /, length a multiple of 4)' };
  }
  return { bytes: Buffer.from(str, 'base64') };
}

// Decode a base64 image and check it is one of the allowed formats (by magic bytes, not
// by what the client claims). Returns {bytes, format, size} or {error} with the reason.
export function decodeImage(str, { formats = ['png', 'jpeg'], maxBytes = Infinity } = {}) {
  const d = decodeBase64(str);
  if (d.error) return d;
  if (d.bytes.length > maxBytes) return { error: `decodes to ${d.bytes.length} bytes, more than the ${maxBytes} allowed` };
  const format = sniffImage(d.bytes);
  if (!format || !formats.includes(format)) {
    return { error: `is not a ${formats.join('/').toUpperCase()} image (magic bytes say ${format || 'unknown'})` };
  }
  return { bytes: d.bytes, format, size: imageSize(d.bytes) };
}

export function sha256hex(data) {
  return createHash('sha256').update(data).digest('hex');
}

// 32-bit seed from any string, for the deterministic word pickers and PRNGs below.
export function hash32(str) {
  return createHash('sha256').update(String(str)).digest().readUInt32BE(0);
}

// mulberry32: a tiny, well-known-shape PRNG; enough for picking words and vector values
// deterministically from a seed. Not for anything security related.
export function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Sleep that ends early (resolving false) when the signal aborts, so a slow or
// latency-delayed reply stops as soon as the client hangs up.
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(true); }, ms);
    function onAbort() { clearTimeout(timer); resolve(false); }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// A reply as the providers build it; server.mjs writes it. Bodies that are not Buffers or
// strings are serialised as JSON.
export function reply(status, body, headers = {}) {
  return { status, body, headers };
}

export function jsonReply(status, body, headers = {}) {
  return { status, body, headers: { 'content-type': 'application/json', ...headers } };
}

// Copy of a parsed JSON body for the request log: long base64 strings (images) become
// "<base64 N bytes>" so the log stays small and readable. A data: URL keeps its prefix.
export function redactJson(value) {
  if (typeof value === 'string') {
    if (value.length > 200) {
      const m = /^(data:[^;,]*;base64,)(.*)$/s.exec(value);
      const payload = m ? m[2] : value;
      if (payload.length % 4 === 0 && BASE64_RE.test(payload)) {
        const n = Buffer.byteLength(payload, 'base64');
        return `${m ? m[1] : ''}<base64 ${n} bytes>`;
      }
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(redactJson);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactJson(v);
    return out;
  }
  return value;
}

export const isPlainObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
