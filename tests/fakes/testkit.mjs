// Helpers for the self-check tests: start a fake as a child process exactly as adloom's
// tests will (port 0, read the listening line), and talk to its admin API.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));

export async function startFake(provider, args = []) {
  const proc = spawn(process.execPath, [SERVER, '--provider', provider, '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`fake ${provider} did not start: ${stderr}`)), 10000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /^fake (\S+) listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[2]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`fake ${provider} exited with ${code}: ${stderr}`)); });
  });
  return {
    url,
    proc,
    stderr: () => stderr,
    // SIGTERM must end the process cleanly (exit code 0).
    stop: () => new Promise((resolve) => {
      if (proc.exitCode !== null) return resolve(proc.exitCode);
      proc.once('exit', (code) => resolve(code));
      proc.kill('SIGTERM');
    }),
  };
}

export async function requests(url) {
  return (await (await fetch(`${url}/_fake/requests`)).json()).requests;
}

export async function lastRequest(url) {
  const all = await requests(url);
  return all[all.length - 1];
}

export async function queueFault(url, fault) {
  const r = await fetch(`${url}/_fake/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
  if (r.status !== 200) throw new Error(`queueing fault failed: ${r.status} ${await r.text()}`);
  return r.json();
}

export async function reset(url) {
  await fetch(`${url}/_fake/reset`, { method: 'POST' });
}

export async function postJson(url, path, body, headers = {}) {
  const r = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await r.text();
  let json;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: r.status, headers: r.headers, text, json };
}

// Poll until fn() returns a truthy value (or fail after timeoutMs).
export async function waitFor(fn, timeoutMs = 3000, stepMs = 20) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('waitFor timed out');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

export const workflow = () => JSON.parse(readFileSync(new URL('./comfyui-workflow.json', import.meta.url), 'utf8'));

// Fill the sample workflow's {{placeholders}} the way a client must: numbers replace the
// whole "{{seed}}" string (so the JSON value becomes a number), text is substituted.
export function fillWorkflow(values) {
  let text = readFileSync(new URL('./comfyui-workflow.json', import.meta.url), 'utf8');
  for (const [k, v] of Object.entries(values)) {
    text = typeof v === 'number'
      ? text.replaceAll(`"{{${k}}}"`, String(v))
      : text.replaceAll(`{{${k}}}`, JSON.stringify(v).slice(1, -1));
  }
  return JSON.parse(text);
}
