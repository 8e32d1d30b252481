// Self-check of the Bedrock fake against the official AWS SDK for JavaScript: if the SDK's
// requests are accepted (signature valid, verdict ok) and its parser accepts our answers,
// the fake speaks the real wire format; if a wrong secret is rejected, the SigV4 check is real.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BedrockRuntimeClient, ConverseCommand, InvokeModelCommand } from '@aws-sdk/client-bedrock-runtime';
import { startFake, requests, lastRequest, reset, postJson } from './testkit.mjs';
import { encodePng, imageSize } from './png.mjs';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const creds = (over = {}) => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, ...over });
const client = (url, over = {}) => new BedrockRuntimeClient({ endpoint: url, region: 'us-east-1', credentials: creds(), maxAttempts: 1, ...over });
const json = (o) => new TextEncoder().encode(JSON.stringify(o));
const decode = (r) => JSON.parse(Buffer.from(r.body).toString('utf8'));
const invoke = (c, modelId, body) => c.send(new InvokeModelCommand({ modelId, contentType: 'application/json', accept: 'application/json', body: json(body) }));
const pngB64 = (seed, w = 64, h = 64) => encodePng({ width: w, height: h, seed }).toString('base64');
const norm = (v) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

async function rejects(promise) {
  try { await promise; } catch (e) { return e; }
  throw new Error('expected the call to be rejected');
}

describe('bedrock fake with the official SDK', () => {
  let fake; let c;
  before(async () => { fake = await startFake('bedrock', ['--bearer-token', 'BEDROCK-API-KEY']); c = client(fake.url); });
  after(async () => { assert.equal(await fake.stop(), 0, 'SIGTERM exits cleanly'); });

  it('accepts SigV4-signed Converse and InvokeModel calls and answers in a shape the SDK parses', async () => {
    await reset(fake.url);
    const text = await c.send(new ConverseCommand({ modelId: 'us.amazon.nova-pro-v1:0', messages: [{ role: 'user', content: [{ text: 'Say hello to the team.' }] }],
      inferenceConfig: { maxTokens: 512, temperature: 0.3 } }));
    assert.equal(text.stopReason, 'end_turn');
    assert.match(text.output.message.content[0].text, /hello/);
    assert.ok(text.usage.inputTokens > 0 && text.metrics.latencyMs >= 0);

    const meta = await c.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0',
      system: [{ text: 'Return JSON with keys "prompt", negative_prompt, reasoning, structure and variants.' }],
      messages: [{ role: 'user', content: [{ text: 'Write an ad image prompt for product: red running shoes, format 4:5.' }] }] }));
    const fenced = /```json\n([\s\S]*)\n```/.exec(meta.output.message.content[0].text);
    assert.ok(fenced, 'meta-prompt comes in a ```json fence');
    const brief = JSON.parse(fenced[1]);
    assert.equal(brief.variants.length, 5);
    assert.match(brief.prompt, /red running shoes/);
    assert.ok(brief.prompt.length < 900 && brief.variants.every((v) => v.prompt.length < 900));

    const png = encodePng({ width: 96, height: 64, seed: 7 });
    const seen = await c.send(new ConverseCommand({ modelId: 'us.amazon.nova-pro-v1:0', messages: [{ role: 'user', content: [
      { text: 'Describe this image as JSON.' }, { image: { format: 'png', source: { bytes: png } } }] }] }));
    const desc = JSON.parse(seen.output.message.content[0].text);
    for (const k of ['description', 'subjects', 'setting', 'style', 'mood', 'text', 'tags']) assert.ok(k in desc, k);
    assert.ok(seen.usage.inputTokens >= 1300, 'an image costs ~1300 input tokens');

    const titan = decode(await invoke(c, 'amazon.titan-embed-image-v1', { inputText: 'red running shoes', embeddingConfig: { outputEmbeddingLength: 256 } }));
    assert.equal(titan.embedding.length, 256);
    assert.ok(Math.abs(norm(titan.embedding) - 1) < 1e-9);
    const titanImg = decode(await invoke(c, 'amazon.titan-embed-image-v1', { inputImage: pngB64(1) }));
    assert.equal(titanImg.embedding.length, 1024);

    const mmeText = decode(await invoke(c, 'amazon.nova-2-multimodal-embeddings-v1:0', { schemaVersion: 'nova-multimodal-embed-v1', taskType: 'SINGLE_EMBEDDING',
      singleEmbeddingParams: { embeddingPurpose: 'GENERIC_RETRIEVAL', embeddingDimension: 1024, text: { truncationMode: 'END', value: 'red running shoes' } } }));
    assert.equal(mmeText.embeddings[0].embeddingType, 'TEXT');
    assert.equal(mmeText.embeddings[0].embedding.length, 1024);
    const mmeImg = decode(await invoke(c, 'amazon.nova-2-multimodal-embeddings-v1:0', { taskType: 'SINGLE_EMBEDDING',
      singleEmbeddingParams: { embeddingPurpose: 'GENERIC_INDEX', embeddingDimension: 384, image: { format: 'png', source: { bytes: pngB64(2) } } } }));
    assert.equal(mmeImg.embeddings[0].embeddingType, 'IMAGE');
    assert.equal(mmeImg.embeddings[0].embedding.length, 384);

    const canvas = decode(await invoke(c, 'amazon.nova-canvas-v1:0', { taskType: 'TEXT_IMAGE', textToImageParams: { text: 'red running shoes on a beach', negativeText: 'blurry' },
      imageGenerationConfig: { numberOfImages: 2, width: 1280, height: 720, cfgScale: 6.5, seed: 42, quality: 'standard' } }));
    assert.equal(canvas.images.length, 2);
    assert.notEqual(canvas.images[0], canvas.images[1]);
    assert.deepEqual(imageSize(Buffer.from(canvas.images[0], 'base64')), { format: 'png', width: 1280, height: 720 });

    const colour = decode(await invoke(c, 'amazon.nova-canvas-v1:0', { taskType: 'COLOR_GUIDED_GENERATION',
      colorGuidedGenerationParams: { colors: ['#FF0000', '#00aa88'], text: 'a sneaker ad' }, imageGenerationConfig: { width: 512, height: 512 } }));
    assert.equal(colour.images.length, 1);
    const variation = decode(await invoke(c, 'amazon.nova-canvas-v1:0', { taskType: 'IMAGE_VARIATION',
      imageVariationParams: { images: [pngB64(3)], similarityStrength: 0.7, text: 'same shoe, studio light' } }));
    assert.deepEqual(imageSize(Buffer.from(variation.images[0], 'base64')), { format: 'png', width: 1024, height: 1024 });

    const sd = decode(await invoke(c, 'stability.sd3-5-large-v1:0', { prompt: 'red running shoes', aspect_ratio: '4:5', seed: 1234, output_format: 'png' }));
    assert.deepEqual(sd.seeds, [1234]);
    assert.deepEqual(sd.finish_reasons, [null]);
    assert.deepEqual(imageSize(Buffer.from(sd.images[0], 'base64')), { format: 'png', width: 896, height: 1120 });

    const log = await requests(fake.url);
    assert.equal(log.length, 11);
    for (const r of log) {
      assert.equal(r.signature, 'valid', `${r.path}: ${r.signature}`);
      assert.equal(r.verdict, 'ok', `${r.path}: ${r.verdict}`);
      assert.equal(r.status, 200);
    }
    assert.ok(log.some((r) => r.path === '/model/amazon.nova-canvas-v1%3A0/invoke'), 'model id %-encoded on the wire');
    console.log(`official SDK request accepted (signature valid): ${log.length} Converse/InvokeModel calls, all verdict ok`);
  });

  it('rejects a request signed with the wrong secret', async () => {
    const bad = client(fake.url, { credentials: creds({ secretAccessKey: 'not-the-secret' }) });
    const e = await rejects(bad.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] })));
    assert.equal(e.name, 'InvalidSignatureException');
    assert.equal(e.$metadata.httpStatusCode, 403);
    assert.match(e.message, /signature we calculated does not match/);
    const r = await lastRequest(fake.url);
    assert.match(r.signature, /^invalid: /);
    assert.match(r.canonical_request, /\/model\/amazon\.nova-lite-v1%253A0\/converse/, 'canonical URI is double-encoded');
    console.log(`wrong secret rejected: ${e.$metadata.httpStatusCode} ${e.name} (recorded "${r.signature}")`);
  });

  it('rejects a wrong access key, a missing signature and an expired x-amz-date', async () => {
    const msg = { modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] };
    const e1 = await rejects(client(fake.url, { credentials: creds({ accessKeyId: 'AKIDWRONG' }) }).send(new ConverseCommand(msg)));
    assert.equal(e1.name, 'UnrecognizedClientException');
    const e2 = await rejects(client(fake.url, { systemClockOffset: -20 * 60 * 1000 }).send(new ConverseCommand(msg)));
    assert.equal(e2.name, 'InvalidSignatureException');
    assert.match(e2.message, /Signature expired/);
    const r = await postJson(fake.url, '/model/amazon.nova-lite-v1%3A0/converse', { messages: msg.messages });
    assert.equal(r.status, 403);
    assert.equal(r.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    console.log(`wrong access key rejected: ${e1.name}; clock 20 min off rejected: ${e2.name} (Signature expired); unsigned rejected: ${r.headers.get('x-amzn-errortype')}`);
  });

  it('accepts a Bedrock API key as a bearer token and rejects a wrong one', async () => {
    const body = { messages: [{ role: 'user', content: [{ text: 'hello' }] }] };
    const ok = await postJson(fake.url, '/model/amazon.nova-lite-v1%3A0/converse', body, { authorization: 'Bearer BEDROCK-API-KEY' });
    assert.equal(ok.status, 200);
    assert.equal((await lastRequest(fake.url)).signature, 'bearer');
    const bad = await postJson(fake.url, '/model/amazon.nova-lite-v1%3A0/converse', body, { authorization: 'Bearer nope' });
    assert.equal(bad.status, 403);
    console.log('bearer token accepted (signature: bearer); wrong bearer token rejected: 403');
  });

  it('rejects invalid bodies with a ValidationException naming the problem', async () => {
    const cases = [
      ['amazon.nova-canvas-v1:0', { taskType: 'TEXT_IMAGE', textToImageParams: { text: 'x' }, imageGenerationConfig: { width: 1080, height: 1024 } }, /divisible by 16/],
      ['amazon.nova-canvas-v1:0', { taskType: 'TEXT_IMAGE', textToImageParams: { text: 'x' }, imageGenerationConfig: { seed: 900000000 } }, /seed: 900000000 is out of range/],
      ['amazon.nova-canvas-v1:0', { taskType: 'TEXT_IMAGE', textToImageParams: { text: 'x' }, imageGenerationConfig: { width: 2048, height: 2048 } }, /below 4,194,304/],
      ['amazon.nova-canvas-v1:0', { taskType: 'TEXT_IMAGE', textToImageParams: { text: 'x', negative_text: 'y' } }, /extraneous key \[negative_text\]/],
      ['amazon.titan-embed-image-v1', { inputImage: Buffer.from('GIF89a-not-allowed-here').toString('base64') }, /not a PNG\/JPEG image/],
      ['amazon.nova-2-multimodal-embeddings-v1:0', { taskType: 'SINGLE_EMBEDDING', singleEmbeddingParams: { embeddingDimension: 1024, text: { value: 'x' } } }, /embeddingPurpose: is required.*truncationMode: is required/],
      ['stability.sd3-5-large-v1:0', { prompt: 'x', aspect_ratio: '4:3' }, /aspect_ratio/],
    ];
    for (const [modelId, body, re] of cases) {
      const e = await rejects(invoke(c, modelId, body));
      assert.equal(e.name, 'ValidationException', `${modelId} ${JSON.stringify(body)}`);
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.match(e.message, re);
    }
    const t = await rejects(c.send(new ConverseCommand({ modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }], inferenceConfig: { temperature: 3 } })));
    assert.equal(t.name, 'ValidationException');
    assert.match(t.message, /inferenceConfig.temperature: 3 is out of range \[0, 1\]/);
    const ct = await rejects(c.send(new InvokeModelCommand({ modelId: 'amazon.titan-embed-image-v1', body: json({ inputText: 'x' }) })));
    assert.match(ct.message, /Content-Type must be application\/json/);
    const nf = await rejects(invoke(c, 'amazon.nonexistent-v9:0', {}));
    assert.equal(nf.name, 'ResourceNotFoundException');
    assert.equal(nf.$metadata.httpStatusCode, 404);
    const log = await requests(fake.url);
    assert.ok(log.slice(-10).every((r) => r.signature === 'valid' && r.status >= 400));
    console.log(`invalid bodies rejected: ${cases.length + 2} x 400 ValidationException (e.g. "imageGenerationConfig.width: 1080 is not divisible by 16"), unknown model 404 ResourceNotFoundException`);
  });
});

describe('bedrock fake with a session token', () => {
  let fake;
  before(async () => { fake = await startFake('bedrock', ['--session-token', 'SESSION-TOKEN-123']); });
  after(async () => { await fake.stop(); });

  it('accepts requests that sign x-amz-security-token and rejects those without it', async () => {
    const msg = { modelId: 'amazon.nova-lite-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] };
    const ok = await client(fake.url, { credentials: creds({ sessionToken: 'SESSION-TOKEN-123' }) }).send(new ConverseCommand(msg));
    assert.equal(ok.stopReason, 'end_turn');
    const r = await lastRequest(fake.url);
    assert.equal(r.signature, 'valid');
    assert.match(r.headers.authorization, /SignedHeaders=[^,]*x-amz-security-token/);
    const e = await rejects(client(fake.url).send(new ConverseCommand(msg)));
    assert.equal(e.name, 'UnrecognizedClientException');
    const e2 = await rejects(client(fake.url, { credentials: creds({ sessionToken: 'OTHER' }) }).send(new ConverseCommand(msg)));
    assert.equal(e2.name, 'UnrecognizedClientException');
    console.log('official SDK request with session token accepted (signature valid); missing/wrong token rejected: 403 UnrecognizedClientException');
  });
});
