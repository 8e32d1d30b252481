// Every fault mode once per provider, plus the fault-queue rules (FIFO, count,
// path_contains) and --latency-ms.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFake, requests, queueFault, postJson, waitFor, fillWorkflow } from './testkit.mjs';

const BEARER = { authorization: 'Bearer T' };
const PROVIDERS = {
  bedrock: {
    args: ['--bearer-token', 'T'],
    call: (url) => postJson(url, '/model/amazon.nova-canvas-v1%3A0/invoke',
      { taskType: 'TEXT_IMAGE', textToImageParams: { text: 'a shoe' }, imageGenerationConfig: { width: 320, height: 320 } }, BEARER),
    rawPath: '/model/amazon.nova-canvas-v1%3A0/invoke',
    shape: {
      throttle: (r) => { assert.equal(r.headers.get('x-amzn-errortype'), 'ThrottlingException'); assert.equal(r.json.message, 'Too many requests, please wait before trying again.'); },
      error500: (r) => assert.equal(r.headers.get('x-amzn-errortype'), 'InternalServerException'),
      error503: (r) => assert.equal(r.headers.get('x-amzn-errortype'), 'ServiceUnavailableException'),
      expired_token: (r) => { assert.equal(r.status, 403); assert.equal(r.headers.get('x-amzn-errortype'), 'ExpiredTokenException'); },
      access_denied: (r) => { assert.equal(r.status, 403); assert.equal(r.headers.get('x-amzn-errortype'), 'AccessDeniedException'); },
      refusal: (r) => { assert.equal(r.status, 400); assert.equal(r.headers.get('x-amzn-errortype'), 'ValidationException'); assert.match(r.json.message, /blocked by our content filters/); },
    },
  },
  openai: {
    args: [],
    call: (url) => postJson(url, '/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
    rawPath: '/v1/chat/completions',
    shape: {
      throttle: (r) => assert.deepEqual(r.json.error, { message: 'Rate limit reached', type: 'rate_limit_exceeded', param: null, code: 'rate_limit_exceeded' }),
      error500: (r) => assert.equal(r.json.error.type, 'server_error'),
      error503: (r) => assert.equal(r.json.error.type, 'server_error'),
      expired_token: (r) => { assert.equal(r.status, 401); assert.equal(r.json.error.code, 'invalid_api_key'); },
      access_denied: (r) => assert.equal(r.status, 403),
      refusal: (r) => { assert.equal(r.status, 200); assert.equal(r.json.choices[0].finish_reason, 'content_filter'); },
    },
  },
  automatic1111: {
    args: [],
    call: (url) => postJson(url, '/sdapi/v1/txt2img', { prompt: 'a shoe', width: 64, height: 64 }),
    rawPath: '/sdapi/v1/txt2img',
    shape: {
      throttle: () => {}, error500: (r) => assert.ok(r.json.error), error503: () => {}, expired_token: (r) => assert.equal(r.status, 401), access_denied: (r) => assert.equal(r.status, 403),
      refusal: (r) => { assert.equal(r.status, 500); assert.equal(r.json.error, 'NSFW content detected'); },
    },
  },
  comfyui: {
    args: [],
    call: (url) => postJson(url, '/prompt', { prompt: fillWorkflow({ prompt: 'p', negative_prompt: 'n', seed: 1, width: 64, height: 64, batch_size: 1 }) }),
    rawPath: '/prompt',
    shape: {
      throttle: (r) => assert.ok(r.json.error), error500: (r) => assert.ok(r.json.error), error503: () => {}, expired_token: (r) => assert.equal(r.status, 401), access_denied: (r) => assert.equal(r.status, 403),
      refusal: async (r, url) => {
        assert.equal(r.status, 200);
        const id = r.json.prompt_id;
        const h = await waitFor(async () => { const x = await (await fetch(`${url}/history/${id}`)).json(); return x[id]; });
        assert.equal(h.status.status_str, 'error');
        const err = h.status.messages.find((m) => m[0] === 'execution_error');
        assert.equal(`${err[0]}: ${err[1].exception_message}`, 'execution_error: content filter');
      },
    },
  },
};
const STATUS = { throttle: 429, error500: 500, error503: 503 };

for (const [name, p] of Object.entries(PROVIDERS)) {
  describe(`${name} fault modes`, () => {
    let fake;
    before(async () => { fake = await startFake(name, p.args); });
    after(async () => { assert.equal(await fake.stop(), 0); });

    for (const mode of ['throttle', 'error500', 'error503', 'expired_token', 'access_denied', 'refusal']) {
      it(mode, async () => {
        await queueFault(fake.url, { mode, retry_after: 3 });
        const r = await p.call(fake.url);
        if (STATUS[mode]) assert.equal(r.status, STATUS[mode]);
        if (mode === 'throttle') assert.equal(r.headers.get('retry-after'), '3');
        await p.shape[mode](r, fake.url);
        assert.equal((await requests(fake.url)).find((x) => x.fault === mode)?.fault, mode);
        assert.equal((await p.call(fake.url)).status, 200, 'a fault with count 1 is used up');
      });
    }

    it('malformed', async () => {
      await queueFault(fake.url, { mode: 'malformed' });
      const r = await p.call(fake.url);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'application/json');
      assert.equal(r.text, '{"not json');
    });

    it('truncated', async () => {
      await queueFault(fake.url, { mode: 'truncated' });
      await assert.rejects(p.call(fake.url));
    });

    it('slow, with the client giving up: recorded as aborted', async () => {
      await queueFault(fake.url, { mode: 'slow', delay_ms: 5000 });
      const ac = new AbortController();
      setTimeout(() => ac.abort(), 200);
      await assert.rejects(fetch(`${fake.url}${p.rawPath}`, { method: 'POST', signal: ac.signal, headers: { 'content-type': 'application/json', ...BEARER }, body: '{}' }));
      const entry = await waitFor(async () => (await requests(fake.url)).find((x) => x.fault === 'slow' && x.aborted));
      assert.ok(entry.open_ms >= 150 && entry.open_ms < 4000, `open_ms ${entry.open_ms}`);
      if (name === 'bedrock') console.log(`slow fault: client abort recorded as aborted after ${entry.open_ms} ms`);
    });
  });
}

describe('fault queue rules and latency', () => {
  let fake; let slowFake;
  before(async () => { fake = await startFake('openai'); slowFake = await startFake('openai', ['--latency-ms', '300']); });
  after(async () => { await fake.stop(); await slowFake.stop(); });

  it('applies faults FIFO, honours count and path_contains, and validates the admin body', async () => {
    await queueFault(fake.url, { mode: 'throttle', count: 2, path_contains: 'embeddings' });
    await queueFault(fake.url, { mode: 'error503' });
    const emb = () => postJson(fake.url, '/v1/embeddings', { model: 'e', input: 'x' });
    const chat = () => postJson(fake.url, '/v1/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal((await chat()).status, 503, 'the chat call skips the embeddings-only fault');
    assert.equal((await emb()).status, 429);
    assert.equal((await emb()).status, 429);
    assert.equal((await emb()).status, 200);
    assert.equal((await (await fetch(`${fake.url}/_fake/faults`)).json()).faults.length, 0);
    const bad = await postJson(fake.url, '/_fake/faults', { mode: 'explode' });
    assert.equal(bad.status, 400);
    assert.deepEqual(await (await fetch(`${fake.url}/_fake/health`)).json(), { ok: true });
    await fetch(`${fake.url}/_fake/reset`, { method: 'POST' });
    assert.equal((await requests(fake.url)).length, 0);
  });

  it('--latency-ms delays model calls but not admin calls', async () => {
    let t = Date.now();
    assert.equal((await postJson(slowFake.url, '/v1/embeddings', { model: 'e', input: 'x' })).status, 200);
    const model = Date.now() - t;
    t = Date.now();
    await fetch(`${slowFake.url}/_fake/health`);
    const admin = Date.now() - t;
    assert.ok(model >= 290, `model call took ${model} ms`);
    assert.ok(admin < model && admin < 250, `admin call took ${admin} ms`);
  });
});

describe('refusal shapes on the other routes', () => {
  let bedrock; let openai;
  before(async () => { bedrock = await startFake('bedrock', ['--bearer-token', 'T']); openai = await startFake('openai'); });
  after(async () => { await bedrock.stop(); await openai.stop(); });

  it('Bedrock Converse, Stability and OpenAI images refuse the way the real services do', async () => {
    await queueFault(bedrock.url, { mode: 'refusal', path_contains: 'converse' });
    const conv = await postJson(bedrock.url, '/model/amazon.nova-pro-v1%3A0/converse', { messages: [{ role: 'user', content: [{ text: 'hi' }] }] }, BEARER);
    assert.equal(conv.status, 200);
    assert.equal(conv.json.stopReason, 'guardrail_intervened');
    assert.equal(conv.json.output.message.content[0].text, "Sorry, I can't help with that.");
    await queueFault(bedrock.url, { mode: 'refusal' });
    const sd = await postJson(bedrock.url, '/model/stability.stable-image-core-v1%3A1/invoke', { prompt: 'x', seed: 5 }, BEARER);
    assert.equal(sd.status, 200);
    assert.deepEqual(sd.json, { seeds: [5], finish_reasons: ['Filter reason: prompt'], images: [] });
    await queueFault(openai.url, { mode: 'refusal' });
    const img = await postJson(openai.url, '/v1/images/generations', { prompt: 'x', response_format: 'b64_json' });
    assert.equal(img.status, 400);
    assert.deepEqual(img.json.error, { code: 'content_policy_violation', message: 'Your request was rejected as a result of our safety system.', type: 'invalid_request_error', param: null });
  });

  it('a refusal fault still answers 400 to an invalid body (validation comes first)', async () => {
    await queueFault(bedrock.url, { mode: 'refusal' });
    const r = await postJson(bedrock.url, '/model/amazon.nova-canvas-v1%3A0/invoke', { taskType: 'TEXT_IMAGE', textToImageParams: { text: '' } }, BEARER);
    assert.equal(r.status, 400);
    assert.match(r.json.message, /textToImageParams.text: must have at least 1 character/);
  });
});
