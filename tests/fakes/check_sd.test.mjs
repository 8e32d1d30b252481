// Self-check of the AUTOMATIC1111 and ComfyUI fakes with plain fetch round trips, using
// the sample workflow file the way a client does (placeholders filled in).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startFake, requests, reset, postJson, waitFor, fillWorkflow, workflow } from './testkit.mjs';
import { encodePng, imageSize } from './png.mjs';

const sizeOf = (b64) => imageSize(Buffer.from(b64, 'base64'));

describe('automatic1111 fake', () => {
  let fake;
  before(async () => { fake = await startFake('automatic1111'); });
  after(async () => { assert.equal(await fake.stop(), 0); });

  it('txt2img returns batch_size x n_iter PNGs of the requested size and reports the random seed', async () => {
    const r = await postJson(fake.url, '/sdapi/v1/txt2img', { prompt: 'red running shoes', negative_prompt: 'blurry', width: 768, height: 512,
      steps: 20, cfg_scale: 7, seed: -1, batch_size: 2, n_iter: 2, sampler_name: 'Euler a' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.images.length, 4);
    assert.deepEqual(sizeOf(r.json.images[3]), { format: 'png', width: 768, height: 512 });
    const info = JSON.parse(r.json.info);
    assert.ok(Number.isInteger(info.seed) && info.seed >= 0, 'seed -1 replaced by a real one');
    assert.equal(info.all_seeds.length, 4);
    assert.equal(r.json.parameters.prompt, 'red running shoes');
    console.log(`A1111 txt2img round trip ok: 4 images 768x512, seed -1 became ${info.seed}`);
  });

  it('img2img needs init_images; the GET routes answer', async () => {
    const init = encodePng({ width: 64, height: 64, seed: 1 }).toString('base64');
    const ok = await postJson(fake.url, '/sdapi/v1/img2img', { prompt: 'x', init_images: [init], denoising_strength: 0.5, seed: 9 });
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(ok.json.info).seed, 9);
    const bad = await postJson(fake.url, '/sdapi/v1/img2img', { prompt: 'x', denoising_strength: 1.5 });
    assert.equal(bad.status, 422);
    const msgs = bad.json.detail.map((d) => `${d.loc.join('.')}: ${d.msg}`).join(' | ');
    assert.match(msgs, /body.init_images: is required/);
    assert.match(msgs, /denoising_strength: 1.5 is out of range/);
    for (const p of ['/sdapi/v1/sd-models', '/sdapi/v1/progress', '/sdapi/v1/options']) {
      assert.equal((await fetch(`${fake.url}${p}`)).status, 200, p);
    }
  });

  it('rejects out-of-range txt2img parameters', async () => {
    const r = await postJson(fake.url, '/sdapi/v1/txt2img', { prompt: 'x', width: 510, steps: 0, batch_size: 9, seed: -2 });
    assert.equal(r.status, 422);
    const text = JSON.stringify(r.json.detail);
    for (const re of [/not divisible by 8/, /steps/, /batch_size/, /seed/]) assert.match(text, re);
  });
});

describe('comfyui fake', () => {
  let fake;
  before(async () => { fake = await startFake('comfyui', ['--latency-ms', '300']); });
  after(async () => { assert.equal(await fake.stop(), 0); });

  it('runs a posted workflow: history is {} until done, then /view serves PNGs of the latent size', async () => {
    await reset(fake.url);
    const graph = fillWorkflow({ prompt: 'red "running" shoes', negative_prompt: 'blurry', seed: 1234, width: 832, height: 1216, batch_size: 2 });
    const post = await postJson(fake.url, '/prompt', { prompt: graph, client_id: 'adloom-test' });
    assert.equal(post.status, 200, post.text);
    const id = post.json.prompt_id;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(post.json.node_errors, {});
    assert.deepEqual(await (await fetch(`${fake.url}/history/${id}`)).json(), {}, 'not done yet');
    const queue = await (await fetch(`${fake.url}/queue`)).json();
    assert.equal(queue.queue_running[0][1], id);
    const hist = await waitFor(async () => { const h = await (await fetch(`${fake.url}/api/history/${id}`)).json(); return h[id] && h; });
    const entry = hist[id];
    assert.equal(entry.status.status_str, 'success');
    assert.equal(entry.status.completed, true);
    const images = entry.outputs['9'].images;
    assert.equal(images.length, 2);
    assert.match(images[0].filename, /^adloom_\d{5}_\.png$/);
    const q = new URLSearchParams({ filename: images[1].filename, subfolder: images[1].subfolder, type: images[1].type });
    const view = await fetch(`${fake.url}/view?${q}`);
    assert.equal(view.headers.get('content-type'), 'image/png');
    const png = Buffer.from(await view.arrayBuffer());
    assert.deepEqual(imageSize(png), { format: 'png', width: 832, height: 1216 });
    assert.equal((await fetch(`${fake.url}/api/system_stats`)).status, 200);
    assert.equal((await fetch(`${fake.url}/interrupt`, { method: 'POST' })).status, 200);
    assert.ok((await requests(fake.url)).some((r) => r.path === '/interrupt'), 'interrupt recorded');
    console.log(`ComfyUI round trip ok: prompt ${id.slice(0, 8)}… done, /view PNG is 832x1216 (read from the PNG header)`);
  });

  it('rejects unreplaced placeholders, UI-format graphs, dangling links and missing nodes', async () => {
    const raw = await postJson(fake.url, '/prompt', { prompt: workflow() });
    assert.equal(raw.status, 400);
    assert.equal(raw.json.error.type, 'prompt_outputs_failed_validation');
    assert.match(raw.json.error.details, /unreplaced template placeholder.*\{\{seed\}\}/);
    assert.ok(raw.json.node_errors['6'], 'node with {{prompt}} named in node_errors');
    const half = fillWorkflow({ seed: 1, width: 512, height: 512, batch_size: 1, negative_prompt: '' });
    const one = await postJson(fake.url, '/api/prompt', { prompt: half });
    assert.equal(one.status, 400);
    assert.match(one.json.error.details, /\{\{prompt\}\}/);
    const ui = await postJson(fake.url, '/prompt', { prompt: { nodes: [], links: [] } });
    assert.equal(ui.status, 400);
    const g = fillWorkflow({ prompt: 'p', negative_prompt: 'n', seed: 1, width: 512, height: 512, batch_size: 1 });
    g['8'].inputs.samples = ['99', 0];
    assert.match((await postJson(fake.url, '/prompt', { prompt: g })).json.error.details, /node 99, which does not exist/);
    const noSave = fillWorkflow({ prompt: 'p', negative_prompt: 'n', seed: 1, width: 512, height: 512, batch_size: 1 });
    delete noSave['9'];
    assert.equal((await postJson(fake.url, '/prompt', { prompt: noSave })).json.error.type, 'prompt_no_outputs');
    console.log('ComfyUI workflow with an unreplaced {{prompt}} placeholder rejected: 400 prompt_outputs_failed_validation');
  });
});
