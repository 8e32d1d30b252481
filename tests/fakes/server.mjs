#!/usr/bin/env node
// One entry point for every fake model provider:
//   node tests/fakes/server.mjs --provider bedrock|openai|automatic1111|comfyui [options]
// This file owns what all fakes share: argument parsing, the HTTP server on loopback, the
// /_fake/ admin API (fault queue, request log, reset, health), fault injection and the
// optional per-call latency. Each provider module only validates and answers its routes.
import http from 'node:http';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { redactJson, sleep, jsonReply } from './util.mjs';

const PROVIDERS = {
  bedrock: () => import('./bedrock.mjs'),
  openai: () => import('./openai.mjs'),
  automatic1111: () => import('./automatic1111.mjs'),
  comfyui: () => import('./comfyui.mjs'),
};
export const FAULT_MODES = ['throttle', 'error500', 'error503', 'slow', 'malformed', 'truncated', 'refusal', 'expired_token', 'access_denied'];
const MAX_BODY = 64 * 1024 * 1024; // above Bedrock's 25 MB InvokeModel limit, so that limit is the provider's to report

function parseConfig(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      provider: { type: 'string' }, port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' },
      'latency-ms': { type: 'string', default: '0' },
      // Defaults are the AWS documentation's example credentials (also used by the SigV4 test suite).
      'access-key': { type: 'string', default: 'AKIDEXAMPLE' },
      'secret-key': { type: 'string', default: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      'session-token': { type: 'string' }, 'bearer-token': { type: 'string' }, 'api-key': { type: 'string' },
      region: { type: 'string', default: 'us-east-1' },
    },
  });
  if (!PROVIDERS[values.provider]) throw new Error(`--provider must be one of ${Object.keys(PROVIDERS).join(', ')}`);
  // Loopback only: these fakes accept any test traffic and must never listen on a network.
  if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(values.host)) throw new Error(`--host must be a loopback address, got ${values.host}`);
  const port = Number(values.port);
  const latencyMs = Number(values['latency-ms']);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('--port must be 0..65535');
  if (!Number.isFinite(latencyMs) || latencyMs < 0) throw new Error('--latency-ms must be >= 0');
  return {
    provider: values.provider, port, host: values.host, latencyMs,
    accessKey: values['access-key'], secretKey: values['secret-key'], sessionToken: values['session-token'],
    bearerToken: values['bearer-token'], apiKey: values['api-key'], region: values.region,
  };
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = []; let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > MAX_BODY) { reject(Object.assign(new Error('body too large'), { tooLarge: true })); req.destroy(); return; }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res, r) {
  if (res.destroyed || res.writableEnded) return;
  let body = r.body;
  if (body === undefined || body === null) body = Buffer.alloc(0);
  else if (!Buffer.isBuffer(body) && typeof body !== 'string') body = JSON.stringify(body);
  body = Buffer.isBuffer(body) ? body : Buffer.from(body);
  res.writeHead(r.status, { ...r.headers, 'content-length': body.length });
  res.end(body);
}

function validateFault(b) {
  if (!b || typeof b !== 'object' || Array.isArray(b)) return 'body must be a JSON object';
  if (!FAULT_MODES.includes(b.mode)) return `mode must be one of ${FAULT_MODES.join(', ')}`;
  for (const k of ['count', 'retry_after', 'delay_ms']) {
    if (b[k] !== undefined && (typeof b[k] !== 'number' || b[k] < 0)) return `${k} must be a non-negative number`;
  }
  if (b.count !== undefined && (!Number.isInteger(b.count) || b.count < 1)) return 'count must be an integer >= 1';
  if (b.path_contains !== undefined && typeof b.path_contains !== 'string') return 'path_contains must be a string';
  return null;
}

export async function startServer(config) {
  const provider = (await PROVIDERS[config.provider]()).createProvider(config);
  const state = { faults: [], requests: [], seq: 0 };

  function admin(req, res, path, body) {
    res.on('close', () => process.stderr.write(`${req.method} ${path} ${res.statusCode} admin\n`));
    const json = () => { try { return JSON.parse(body.toString('utf8') || '{}'); } catch { return undefined; } };
    if (req.method === 'GET' && path === '/_fake/health') return send(res, jsonReply(200, { ok: true }));
    if (req.method === 'GET' && path === '/_fake/requests') return send(res, jsonReply(200, { requests: state.requests }));
    if (req.method === 'GET' && path === '/_fake/faults') return send(res, jsonReply(200, { faults: state.faults }));
    if (req.method === 'POST' && path === '/_fake/reset') {
      state.faults = []; state.requests = [];
      return send(res, jsonReply(200, { ok: true }));
    }
    if (req.method === 'POST' && path === '/_fake/faults') {
      const b = json();
      const problem = validateFault(b);
      if (problem) return send(res, jsonReply(400, { error: problem }));
      const fault = {
        mode: b.mode, count: b.count ?? 1, path_contains: b.path_contains ?? null,
        retry_after: b.retry_after ?? 1, delay_ms: b.delay_ms ?? 10000,
      };
      state.faults.push(fault);
      return send(res, jsonReply(200, { queued: fault, pending: state.faults.length }));
    }
    return send(res, jsonReply(404, { error: `no admin route ${req.method} ${path}` }));
  }

  // First queued fault that applies (FIFO). With path_contains it matches any request
  // whose path contains the string; without, only the provider's model calls.
  function takeFault(ctx, isModel) {
    const i = state.faults.findIndex((f) => (f.path_contains !== null ? ctx.path.includes(f.path_contains) : isModel));
    if (i < 0) return null;
    const f = state.faults[i];
    if (--f.count <= 0) state.faults.splice(i, 1);
    return f;
  }

  async function handle(req, res) {
    const started = Date.now();
    const [path, rawQuery = ''] = req.url.split(/\?(.*)/s);
    let body;
    try { body = await readBody(req); } catch (e) {
      if (e.tooLarge) send(res, jsonReply(413, { message: 'request body too large for the fake' }));
      return;
    }
    if (path.startsWith('/_fake/')) return admin(req, res, path, body);

    let json; let jsonError;
    if (body.length) { try { json = JSON.parse(body.toString('utf8')); } catch (e) { jsonError = e.message; } }
    const controller = new AbortController();
    const entry = {
      seq: ++state.seq, method: req.method, path, query: rawQuery,
      headers: Object.fromEntries(Object.entries(req.headers)), body_bytes: body.length,
      json: json === undefined ? null : redactJson(json), verdict: 'ok', signature: 'none',
      status: null, fault: null, aborted: false, open_ms: null,
    };
    state.requests.push(entry);
    res.on('close', () => {
      entry.open_ms = Date.now() - started;
      if (!res.writableFinished) { entry.aborted = true; controller.abort(); }
      process.stderr.write(`${entry.method} ${entry.path} ${entry.status ?? '-'} ${entry.verdict}` +
        `${entry.fault ? ` fault=${entry.fault}` : ''}${entry.aborted ? ` aborted after ${entry.open_ms} ms` : ''}\n`);
    });
    const ctx = {
      method: req.method, url: req.url, path, rawQuery, query: new URLSearchParams(rawQuery),
      headers: req.headers, rawHeaders: req.rawHeaders, body, json, jsonError, signal: controller.signal, started, config,
    };
    const finish = (r) => { entry.status = r.status; send(res, r); };

    const auth = await provider.authenticate(ctx);
    entry.signature = auth.signature;
    if (auth.canonicalRequest) entry.canonical_request = auth.canonicalRequest;
    if (!auth.ok) { entry.verdict = auth.reason; return finish(auth.reply); }

    const isModel = provider.isModelCall(ctx);
    const v = await provider.validate(ctx);
    entry.verdict = v.error ? v.verdict : v.problems.length ? v.problems.join('; ') : 'ok';
    const fault = takeFault(ctx, isModel);
    if (fault) entry.fault = fault.mode;
    const valid = !v.error && v.problems.length === 0;

    if (fault && fault.mode === 'slow') {
      if (!(await sleep(fault.delay_ms, controller.signal))) return; // client gave up: logged as aborted
    } else if (fault && fault.mode === 'malformed') {
      return finish({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"not json' });
    } else if (fault && fault.mode === 'truncated') {
      const full = Buffer.from(JSON.stringify({ truncated: true, padding: 'x'.repeat(4096) }));
      entry.status = 200;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': full.length });
      res.write(full.subarray(0, 64), () => res.socket?.destroy());
      return;
    } else if (fault && fault.mode !== 'refusal') {
      return finish(provider.faultReply(fault.mode, fault, ctx));
    }

    let r;
    if (v.error) r = v.error;
    else if (!valid) r = provider.invalid(ctx, v);
    else if (fault && fault.mode === 'refusal') r = await provider.refuse(ctx, v);
    else r = await provider.respond(ctx, v);
    if (isModel && config.latencyMs > 0 && !provider.ownsLatency) {
      if (!(await sleep(config.latencyMs, controller.signal))) return;
    }
    finish(r);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e) => {
      process.stderr.write(`internal error: ${e.stack}\n`);
      send(res, jsonReply(500, { message: `fake internal error: ${e.message}` }));
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise((resolve, reject) => { server.once('error', reject); server.listen(config.port, config.host, resolve); });
  const { port } = server.address();
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return { server, url: `http://${host}:${port}`, provider, state };
}

async function main() {
  let config;
  try { config = parseConfig(process.argv.slice(2)); } catch (e) {
    process.stderr.write(`${e.message}\nusage: node server.mjs --provider bedrock|openai|automatic1111|comfyui [--port 0] [--host 127.0.0.1] [--latency-ms 0] ` +
      '[--access-key AK --secret-key SK [--session-token T]] [--bearer-token T] [--api-key K] [--region us-east-1]\n');
    process.exit(2);
  }
  const { server, url } = await startServer(config);
  process.stdout.write(`fake ${config.provider} listening on ${url}\n`);
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections?.(); // Node >= 18.2: drop keep-alive sockets so close() can finish
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// Run main() only when started as a program, so tests may import startServer().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e) => { process.stderr.write(`${e.stack}\n`); process.exit(1); });
}
