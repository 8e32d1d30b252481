// Fake ComfyUI server (providers.md §7.2): POST /prompt takes an API-format graph, the job
// "runs" for --latency-ms (50 ms when 0) one at a time like a single-GPU ComfyUI, then
// GET /history/{id} shows the SaveImage outputs and GET /view serves the PNGs, sized from
// the graph's EmptyLatentImage and coloured from the KSampler seed. Every route is also
// served under /api/, as ComfyUI does.
import { randomUUID } from 'node:crypto';
import { validateComfyPrompt } from './schemas/sd.mjs';
import { encodePng } from './png.mjs';
import { jsonReply, reply } from './util.mjs';

function comfyError(status, type, message, details = '') {
  return jsonReply(status, { error: { type, message, details, extra_info: {} }, node_errors: {} });
}

export function createProvider(config) {
  const runMs = config.latencyMs > 0 ? config.latencyMs : 50;
  const jobs = new Map(); // prompt_id -> job
  const queue = []; // pending prompt_ids, FIFO
  let running = null; // prompt_id
  let number = 0;
  const counters = new Map(); // filename prefix -> last counter used
  const files = new Map(); // "type/subfolder/filename" -> {width, height, seed}

  const now = () => Date.now();
  const queueTuple = (job) => [job.number, job.id, job.graph, job.extra, job.outputs];

  function startNext() {
    if (running || queue.length === 0) return;
    running = queue.shift();
    const job = jobs.get(running);
    job.messages.push(['execution_start', { prompt_id: job.id, timestamp: now() }]);
    job.timer = setTimeout(() => finish(job), runMs);
    job.timer.unref();
  }

  function finish(job, interrupted = false) {
    clearTimeout(job.timer);
    const saveNode = job.parsed.saves[0];
    if (interrupted) {
      job.status = 'error';
      job.messages.push(['execution_interrupted', { prompt_id: job.id, node_id: saveNode.id, node_type: 'SaveImage', executed: [], timestamp: now() }]);
    } else if (job.refused) {
      job.status = 'error';
      job.messages.push(['execution_error', { prompt_id: job.id, node_id: saveNode.id, node_type: 'SaveImage', executed: [],
        exception_message: 'content filter', exception_type: 'ContentFilterError', traceback: [], current_inputs: {}, current_outputs: {}, timestamp: now() }]);
    } else {
      job.status = 'success';
      for (const save of job.parsed.saves) {
        const prefix = typeof save.prefix === 'string' && save.prefix ? save.prefix : 'ComfyUI';
        const slash = prefix.lastIndexOf('/');
        const subfolder = slash >= 0 ? prefix.slice(0, slash) : '';
        const base = slash >= 0 ? prefix.slice(slash + 1) : prefix;
        const images = [];
        for (let i = 0; i < job.parsed.batch; i++) {
          const n = (counters.get(prefix) || 0) + 1;
          counters.set(prefix, n);
          const filename = `${base}_${String(n).padStart(5, '0')}_.png`;
          files.set(`output/${subfolder}/${filename}`, { width: job.parsed.width, height: job.parsed.height, seed: job.parsed.seed + i });
          images.push({ filename, subfolder, type: 'output' });
        }
        job.outputsByNode[save.id] = { images };
      }
      job.messages.push(['execution_success', { prompt_id: job.id, timestamp: now() }]);
    }
    if (running === job.id) running = null;
    startNext();
  }

  function historyEntry(job) {
    return {
      prompt: queueTuple(job),
      outputs: job.outputsByNode,
      status: { status_str: job.status, completed: job.status === 'success', messages: job.messages },
      meta: {},
    };
  }

  const route = (ctx) => (ctx.path.startsWith('/api/') ? ctx.path.slice(4) : ctx.path);

  function validate(ctx) {
    const p = route(ctx);
    const key = `${ctx.method} ${p}`;
    if (key === 'POST /prompt') {
      if (ctx.jsonError || ctx.json === undefined) return { kind: key, problems: [`invalid JSON body (${ctx.jsonError || 'empty'})`], comfy: { error: { type: 'invalid_prompt', message: 'Invalid prompt', details: 'body is not JSON', extra_info: {} }, nodeErrors: {} } };
      const r = validateComfyPrompt(ctx.json);
      return { kind: key, problems: r.problems, comfy: r, parsed: r.parsed };
    }
    if (['GET /prompt', 'GET /queue', 'POST /queue', 'GET /system_stats', 'POST /interrupt', 'GET /history', 'GET /view'].includes(key)
      || (ctx.method === 'GET' && /^\/history\/[^/]+$/.test(p))) return { kind: key, problems: [], p };
    const verdict = `no route ${ctx.method} ${ctx.path}`;
    return { problems: [], verdict, error: reply(404, '404: Not Found', { 'content-type': 'text/plain; charset=utf-8' }) };
  }

  function invalid(ctx, v) {
    if (v.comfy) return jsonReply(400, { error: v.comfy.error, node_errors: v.comfy.nodeErrors || {} });
    return comfyError(400, 'invalid_request', v.problems.join('; '));
  }

  function respond(ctx, v, refused = false) {
    switch (v.kind) {
      case 'POST /prompt': {
        const id = typeof ctx.json.prompt_id === 'string' ? ctx.json.prompt_id : randomUUID();
        const graph = ctx.json.prompt;
        const job = {
          id, number: number++, graph, parsed: v.parsed, refused, status: 'pending', messages: [], outputsByNode: {},
          extra: { ...(ctx.json.extra_data || {}), client_id: ctx.json.client_id }, outputs: v.parsed.saves.map((s) => s.id),
        };
        jobs.set(id, job);
        queue.push(id);
        startNext();
        return jsonReply(200, { prompt_id: id, number: job.number, node_errors: {} });
      }
      case 'GET /prompt': return jsonReply(200, { exec_info: { queue_remaining: queue.length + (running ? 1 : 0) } });
      case 'GET /queue':
        return jsonReply(200, { queue_running: running ? [queueTuple(jobs.get(running))] : [], queue_pending: queue.map((id) => queueTuple(jobs.get(id))) });
      case 'POST /queue': {
        const b = ctx.json || {};
        if (b.clear) queue.splice(0);
        for (const id of Array.isArray(b.delete) ? b.delete : []) { const i = queue.indexOf(id); if (i >= 0) queue.splice(i, 1); }
        return reply(200, '');
      }
      case 'GET /system_stats':
        return jsonReply(200, { system: { os: 'posix', comfyui_version: 'fake', python_version: 'fake', pytorch_version: 'fake', embedded_python: false, argv: ['main.py'], ram_total: 0, ram_free: 0 }, devices: [] });
      case 'POST /interrupt':
        if (running) finish(jobs.get(running), true);
        return reply(200, '');
      case 'GET /history': {
        const out = {};
        for (const job of jobs.values()) if (job.status === 'success' || job.status === 'error') out[job.id] = historyEntry(job);
        return jsonReply(200, out);
      }
      case 'GET /view': {
        const q = ctx.query;
        const f = files.get(`${q.get('type') || 'output'}/${q.get('subfolder') || ''}/${q.get('filename') || ''}`);
        if (!f) return reply(404, '404: Not Found', { 'content-type': 'text/plain; charset=utf-8' });
        return reply(200, encodePng(f), { 'content-type': 'image/png', 'content-disposition': `filename="${q.get('filename')}"` });
      }
      default: { // GET /history/{id}: {} until the job is done, as ComfyUI does
        const id = decodeURIComponent(v.p.slice('/history/'.length));
        const job = jobs.get(id);
        return jsonReply(200, job && job.status !== 'pending' ? { [id]: historyEntry(job) } : {});
      }
    }
  }

  function refuse(ctx, v) {
    return respond(ctx, v, v.kind === 'POST /prompt');
  }

  function faultReply(mode, fault) {
    switch (mode) {
      case 'throttle': {
        const r = comfyError(429, 'rate_limited', 'Too many requests');
        r.headers['Retry-After'] = String(fault.retry_after);
        return r;
      }
      case 'error500': return comfyError(500, 'server_error', 'Internal Server Error');
      case 'error503': return comfyError(503, 'server_error', 'Service Unavailable');
      case 'expired_token': return comfyError(401, 'unauthorized', 'Unauthorized');
      case 'access_denied': return comfyError(403, 'forbidden', 'Forbidden');
      default: throw new Error(`fault ${mode} is handled by server.mjs`);
    }
  }

  return {
    name: 'comfyui', validate, invalid, respond, refuse, faultReply,
    ownsLatency: true, // latency is the job's run time, not a delay on POST /prompt
    authenticate: (ctx) => ({ ok: true, signature: /^Bearer /i.test(ctx.headers.authorization || '') ? 'bearer' : 'none' }),
    isModelCall: (ctx) => ctx.method === 'POST' && route(ctx) === '/prompt',
  };
}
