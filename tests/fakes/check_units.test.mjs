// Unit checks of the fakes' building blocks: the PNG encoder decodes back to the right
// pixels, the SigV4 verifier reproduces the documented Bedrock vector, vectors and chat
// content are deterministic, validators name problems, and the request log redacts base64.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { encodePng, imageSize, sniffImage, crc32, seedColours } from './png.mjs';
import { verifySigV4 } from './sigv4_verify.mjs';
import { textVector, imageVector, cosine } from './embeddings.mjs';
import { metaPrompt, chatReply, productPhrase, describeImage } from './content.mjs';
import { validateConverse, validateImageGen, validateNovaMme } from './schemas/bedrock.mjs';
import { validateComfyPrompt } from './schemas/sd.mjs';
import { decodeBase64, redactJson } from './util.mjs';
import { fillWorkflow } from './testkit.mjs';

// Minimal PNG reader for the test: walk the chunks, check each CRC, inflate IDAT, undo
// filters 0 (None) and 2 (Up), which are the only ones the encoder writes.
function decodePng(buf) {
  let off = 8; const idat = []; let w; let h;
  while (off < buf.length) {
    const len = buf.readUInt32BE(off);
    const type = buf.toString('latin1', off + 4, off + 8);
    const data = buf.subarray(off + 8, off + 8 + len);
    assert.equal(buf.readUInt32BE(off + 8 + len), crc32(buf.subarray(off + 4, off + 8 + len)), `${type} CRC`);
    if (type === 'IHDR') { w = data.readUInt32BE(0); h = data.readUInt32BE(4); }
    if (type === 'IDAT') idat.push(data);
    off += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = 1 + w * 3; const px = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    const f = raw[y * stride];
    for (let i = 0; i < w * 3; i++) {
      const v = raw[y * stride + 1 + i];
      px[y * w * 3 + i] = f === 2 && y > 0 ? (v + px[(y - 1) * w * 3 + i]) & 0xff : v;
    }
  }
  return { w, h, px };
}

describe('png.mjs', () => {
  it('encodes decodable images of any size whose colours follow the seed', () => {
    const png = encodePng({ width: 37, height: 5, seed: 9 });
    assert.equal(sniffImage(png), 'png');
    assert.deepEqual(imageSize(png), { format: 'png', width: 37, height: 5 });
    const { w, h, px } = decodePng(png);
    assert.deepEqual([w, h], [37, 5]);
    const { a, b } = seedColours(9);
    assert.deepEqual([...px.subarray(0, 3)], a, 'left edge = colour a');
    assert.deepEqual([...px.subarray((4 * 37 + 36) * 3, (4 * 37 + 36) * 3 + 3)], b, 'bottom-right = colour b');
    assert.notDeepEqual(encodePng({ width: 8, height: 8, seed: 1 }), encodePng({ width: 8, height: 8, seed: 2 }));
    const solid = decodePng(encodePng({ width: 4, height: 4, seed: 3, style: 'solid' }));
    assert.ok(solid.px.every((v, i) => v === solid.px[i % 3]));
    assert.deepEqual(imageSize(encodePng({ width: 4096, height: 1024, seed: 0 })), { format: 'png', width: 4096, height: 1024 });
  });
});

describe('sigv4_verify.mjs', () => {
  const body = Buffer.from('{"taskType":"TEXT_IMAGE","textToImageParams":{"text":"a red apple"},"imageGenerationConfig":{"numberOfImages":1,"width":1024,"height":1024}}');
  const cfg = { accessKey: 'AKIDEXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', region: 'us-east-1', service: 'bedrock' };
  const headers = (sig) => ['Host', 'bedrock-runtime.us-east-1.amazonaws.com', 'Content-Type', 'application/json', 'Accept', 'application/json',
    'X-Amz-Date', '20150830T123600Z', 'Authorization',
    `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, SignedHeaders=accept;content-type;host;x-amz-date, Signature=${sig}`];
  const at = new Date('2015-08-30T12:40:00Z');

  it('accepts the providers.md §1.7 Bedrock InvokeModel vector (double-encoded %3A)', async () => {
    const r = await verifySigV4({ method: 'POST', url: '/model/amazon.nova-canvas-v1%3A0/invoke', rawHeaders: headers('2260012d5b6d08865271427caa4f55e9f9367f573256193e9b603f45a3fc3b89'), body }, cfg, at);
    assert.deepEqual(r, { ok: true, signature: 'valid' });
  });

  it('rejects a single-encoded path, a changed body, a wrong region and a stale date', async () => {
    const sig = '2260012d5b6d08865271427caa4f55e9f9367f573256193e9b603f45a3fc3b89';
    const raw = await verifySigV4({ method: 'POST', url: '/model/amazon.nova-canvas-v1:0/invoke', rawHeaders: headers(sig), body }, cfg, at);
    assert.equal(raw.signature, 'invalid: signature mismatch');
    assert.match(raw.canonicalRequest, /^POST\n\/model\/amazon.nova-canvas-v1%3A0\/invoke\n/);
    const changed = await verifySigV4({ method: 'POST', url: '/model/amazon.nova-canvas-v1%3A0/invoke', rawHeaders: headers(sig), body: Buffer.concat([body, Buffer.from(' ')]) }, cfg, at);
    assert.equal(changed.errorType, 'InvalidSignatureException');
    const region = await verifySigV4({ method: 'POST', url: '/model/x/invoke', rawHeaders: headers(sig), body }, { ...cfg, region: 'eu-west-1' }, at);
    assert.match(region.message, /scoped to a valid region/);
    const stale = await verifySigV4({ method: 'POST', url: '/model/x/invoke', rawHeaders: headers(sig), body }, cfg, new Date('2015-08-30T13:00:00Z'));
    assert.match(stale.message, /^Signature expired/);
  });
});

describe('embeddings.mjs and content.mjs', () => {
  it('text vectors are unit length, deterministic and closer for shared words', () => {
    const a = textVector('Red running shoes', 1024);
    assert.ok(Math.abs(cosine(a, a) - 1) < 1e-9);
    assert.deepEqual(a, textVector('red RUNNING shoes!', 1024));
    assert.ok(cosine(a, textVector('running shoes', 1024)) > 0.6);
    assert.ok(Math.abs(cosine(a, textVector('tax law seminar', 1024))) < 0.3);
    assert.deepEqual(imageVector('abc', 8), imageVector('abc', 8));
    assert.notDeepEqual(imageVector('abc', 8), imageVector('abd', 8));
  });

  it('meta-prompts use the product phrase and stay under 900 characters; descriptions vary per image', () => {
    assert.equal(productPhrase('Brief for product: Acme trail runner X2. Make it bold.'), 'Acme trail runner X2');
    assert.equal(productPhrase('{"product": "glass teapot", "audience": "tea lovers"}'), 'glass teapot');
    const m = metaPrompt(`product: ${'very long name '.repeat(40)}`);
    assert.ok(m.prompt.length < 900 && m.variants.every((v) => v.prompt.length < 900));
    assert.deepEqual(Object.keys(m.structure), ['subject', 'setting', 'composition', 'lighting', 'palette', 'style', 'mood', 'format']);
    assert.deepEqual(new Set(m.variants.map((v) => v.axis)).size, 5);
    const d1 = describeImage([encodePng({ width: 4, height: 4, seed: 1 })]);
    const d2 = describeImage([encodePng({ width: 4, height: 4, seed: 2 })]);
    assert.notEqual(d1.description, d2.description);
    assert.match(chatReply({ userText: 'hello there' }), /^Summary of your request/);
  });
});

describe('validators and redaction', () => {
  it('Converse: roles alternate, blocks have one member, image format matches the bytes', () => {
    const png = encodePng({ width: 2, height: 2 }).toString('base64');
    const { problems } = validateConverse({ messages: [
      { role: 'assistant', content: [{ text: 'x' }] },
      { role: 'assistant', content: [{ text: 'a', image: {} }, { image: { format: 'jpeg', source: { bytes: png } } }, { text: '  ' }] }] }, 'amazon.nova-pro-v1:0');
    const all = problems.join('\n');
    for (const re of [/must start with a user message/, /must alternate/, /exactly one member/, /says jpeg but the bytes are png/, /is blank/]) assert.match(all, re);
    assert.match(validateConverse({ messages: [{ role: 'user', content: [{ image: { format: 'png', source: { bytes: png } } }] }] }, 'amazon.nova-micro-v1:0').problems[0], /doesn't support the image content block/);
  });

  it('Nova Canvas limits and Nova MME rules', () => {
    const p = (g) => validateImageGen({ taskType: 'TEXT_IMAGE', textToImageParams: { text: 'x' }, imageGenerationConfig: g }).problems.join('\n');
    assert.match(p({ width: 320, height: 1600 }), /aspect ratio 320:1600 is outside 1:4 to 4:1/);
    assert.equal(p({ width: 2000, height: 2000 }), '', '2000x2000 is accepted');
    assert.match(p({ cfgScale: 1.0, numberOfImages: 6 }), /cfgScale: 1 is out of range.*\n.*numberOfImages|numberOfImages.*\n.*cfgScale/s);
    assert.match(validateImageGen({ taskType: 'COLOR_GUIDED_GENERATION', colorGuidedGenerationParams: { colors: ['red'], text: 'x' } }).problems[0], /not a #RRGGBB colour/);
    assert.match(validateNovaMme({ taskType: 'SINGLE_EMBEDDING', singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', text: { truncationMode: 'END', value: 'x' }, image: {} } }).problems[0], /exactly one of text, image, audio, video/);
  });

  it('ComfyUI: numeric placeholders must become numbers', () => {
    const g = fillWorkflow({ prompt: 'p', negative_prompt: 'n', seed: 1, width: 512, height: 512, batch_size: 1 });
    assert.equal(validateComfyPrompt({ prompt: g }).ok, true);
    g['5'].inputs.width = '512';
    assert.match(validateComfyPrompt({ prompt: g }).problems[0], /width must be an integer/);
  });

  it('strict base64 and log redaction', () => {
    assert.ok(decodeBase64('aGk=').bytes);
    assert.ok(decodeBase64('aGk').error, 'unpadded is rejected');
    assert.ok(decodeBase64('aG k=').error);
    const long = Buffer.alloc(300, 1).toString('base64');
    assert.deepEqual(redactJson({ a: [long], b: `data:image/png;base64,${long}`, c: 'short' }),
      { a: ['<base64 300 bytes>'], b: 'data:image/png;base64,<base64 300 bytes>', c: 'short' });
  });
});
