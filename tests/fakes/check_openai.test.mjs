// Self-check of the OpenAI-compatible fake against the official openai client: its
// requests must pass our validation and its parser must accept our answers.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startFake, requests, lastRequest, reset } from './testkit.mjs';
import { encodePng, imageSize } from './png.mjs';
import { cosine } from './embeddings.mjs';

async function rejects(promise) {
  try { await promise; } catch (e) { return e; }
  throw new Error('expected the call to be rejected');
}

describe('openai fake with the official openai client', () => {
  let fake; let client;
  before(async () => {
    fake = await startFake('openai', ['--api-key', 'sk-test-key']);
    client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-test-key', maxRetries: 0 });
  });
  after(async () => { assert.equal(await fake.stop(), 0); });

  it('serves chat (text, image data URL, meta-prompt), embeddings, images and models', async () => {
    await reset(fake.url);
    const chat = await client.chat.completions.create({ model: 'llama3.2', messages: [
      { role: 'system', content: 'You are terse.' }, { role: 'user', content: 'Summarise the launch plan for the new shoe.' }], max_tokens: 200, temperature: 0.7 });
    assert.equal(chat.choices[0].finish_reason, 'stop');
    assert.match(chat.choices[0].message.content, /launch plan/);
    assert.equal(chat.usage.total_tokens, chat.usage.prompt_tokens + chat.usage.completion_tokens);

    const dataUrl = `data:image/png;base64,${encodePng({ width: 80, height: 40, seed: 5 }).toString('base64')}`;
    const vision = await client.chat.completions.create({ model: 'llava', messages: [{ role: 'user', content: [
      { type: 'text', text: 'Describe the image as JSON.' }, { type: 'image_url', image_url: { url: dataUrl, detail: 'low' } }] }] });
    const desc = JSON.parse(vision.choices[0].message.content);
    assert.ok(desc.description && Array.isArray(desc.tags));
    assert.ok(vision.usage.prompt_tokens >= 1300);

    const meta = await client.chat.completions.create({ model: 'qwen2.5', messages: [{ role: 'user',
      content: 'Return JSON with "prompt" and 5 variants for product: ceramic travel mug.' }] });
    assert.match(meta.choices[0].message.content, /^[^\n]+\n\n```json\n/);
    const asJson = await client.chat.completions.create({ model: 'qwen2.5', response_format: { type: 'json_object' },
      messages: [{ role: 'user', content: 'Return JSON with "prompt" and 5 variants for product: ceramic travel mug.' }] });
    assert.equal(JSON.parse(asJson.choices[0].message.content).variants.length, 5, 'json mode: bare JSON, no fence');

    const emb = await client.embeddings.create({ model: 'nomic-embed-text', input: ['red running shoes', 'red running shoes for trail', 'quantum field theory'], dimensions: 256 });
    assert.equal(emb.data.length, 3);
    assert.equal(emb.data[0].embedding.length, 256);
    const [a, b, z] = emb.data.map((d) => d.embedding);
    assert.ok(cosine(a, b) > cosine(a, z) + 0.3, 'shared words => closer vectors');
    const again = await client.embeddings.create({ model: 'nomic-embed-text', input: 'red running shoes', dimensions: 256 });
    assert.deepEqual(again.data[0].embedding, a, 'deterministic');

    const img = await client.images.generate({ model: 'sd-turbo', prompt: 'red running shoes', n: 2, size: '1024x1024', response_format: 'b64_json' });
    assert.equal(img.data.length, 2);
    assert.deepEqual(imageSize(Buffer.from(img.data[0].b64_json, 'base64')), { format: 'png', width: 1024, height: 1024 });
    const local = await client.images.generate({ prompt: 'x', size: '768x512', response_format: 'b64_json', negative_prompt: 'blurry', seed: 3 });
    assert.deepEqual(imageSize(Buffer.from(local.data[0].b64_json, 'base64')), { format: 'png', width: 768, height: 512 });

    const models = await client.models.list();
    assert.ok(models.data.length > 0);

    const log = await requests(fake.url);
    assert.ok(log.every((r) => r.verdict === 'ok' && r.signature === 'bearer' && r.status === 200), JSON.stringify(log.map((r) => r.verdict)));
    console.log(`official openai client requests accepted: ${log.length} calls (chat, vision, embeddings, images, models), all verdict ok`);
  });

  it('rejects a wrong API key with 401 AuthenticationError', async () => {
    const bad = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
    const e = await rejects(bad.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }));
    assert.ok(e instanceof OpenAI.AuthenticationError);
    assert.equal(e.status, 401);
    assert.equal(e.code, 'invalid_api_key');
    assert.equal((await lastRequest(fake.url)).signature, 'invalid: wrong API key');
    console.log(`wrong API key rejected: ${e.status} ${e.constructor.name}`);
  });

  it('rejects invalid bodies with 400 naming the problem', async () => {
    const cases = [
      [() => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] }), /base64 data URI/],
      [() => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], temperature: 3 }), /temperature: 3 is out of range \[0, 2\]/],
      [() => client.chat.completions.create({ model: 'm', messages: [{ role: 'robot', content: 'hi' }] }), /role/],
      [() => client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'hi' }], max_tokens: 0 }), /max_tokens/],
      [() => client.embeddings.create({ model: 'm', input: [] }), /1 to 2048 items/],
      [() => client.images.generate({ prompt: 'x', response_format: 'url' }), /only b64_json/],
      [() => client.images.generate({ prompt: 'x', size: '1000x1000', response_format: 'b64_json' }), /size/],
    ];
    for (const [call, re] of cases) {
      const e = await rejects(call());
      assert.ok(e instanceof OpenAI.BadRequestError, String(e));
      assert.match(e.message, re);
    }
    console.log(`invalid OpenAI bodies rejected: ${cases.length} x 400 BadRequestError`);
  });
});
