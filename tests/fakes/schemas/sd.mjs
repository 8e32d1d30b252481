// Validators for the Stable Diffusion web UIs (providers.md §7): AUTOMATIC1111/Forge
// txt2img/img2img bodies and ComfyUI API-format prompt graphs.
import { Problems, obj, str, int, num, arr, typeOf } from './common.mjs';
import { decodeImage, isPlainObject } from '../util.mjs';

// A1111 accepts init images with or without a data: URL prefix.
function a1111Image(P, value, path) {
  const raw = typeof value === 'string' ? value.replace(/^data:image\/[a-z]+;base64,/, '') : value;
  const img = decodeImage(raw, { formats: ['png', 'jpeg'] });
  if (img.error) P.add(path, img.error);
  return img;
}

export function validateA1111(body, { img2img = false } = {}) {
  const P = new Problems();
  const parsed = { prompt: '', negative_prompt: '', width: 512, height: 512, steps: 20, cfg_scale: 7, seed: -1, batch_size: 1, n_iter: 1 };
  if (!isPlainObject(body)) { P.add('', `request body must be a JSON object, got ${typeOf(body)}`); return { problems: P.list, parsed }; }
  parsed.prompt = str(P, body, 'prompt', '') ?? '';
  parsed.negative_prompt = str(P, body, 'negative_prompt', '') ?? '';
  parsed.width = int(P, body, 'width', '', { min: 8, max: 2048, divisibleBy: 8 }) ?? 512;
  parsed.height = int(P, body, 'height', '', { min: 8, max: 2048, divisibleBy: 8 }) ?? 512;
  parsed.steps = int(P, body, 'steps', '', { min: 1, max: 150 }) ?? 20;
  parsed.cfg_scale = num(P, body, 'cfg_scale', '', { min: 1, max: 30 }) ?? 7;
  parsed.seed = int(P, body, 'seed', '', { min: -1, max: 4294967295 }) ?? -1;
  parsed.batch_size = int(P, body, 'batch_size', '', { min: 1, max: 8 }) ?? 1;
  parsed.n_iter = int(P, body, 'n_iter', '', { min: 1, max: 4 }) ?? 1;
  str(P, body, 'sampler_name', '');
  str(P, body, 'scheduler', '');
  num(P, body, 'denoising_strength', '', { min: 0, max: 1 });
  obj(P, body, 'override_settings', '');
  (arr(P, body, 'styles', '') || []).forEach((s, i) => { if (typeof s !== 'string') P.add(`styles.${i}`, 'must be a string'); });
  if (img2img) {
    const images = arr(P, body, 'init_images', '', { required: true, min: 1 }) || [];
    images.forEach((im, i) => a1111Image(P, im, `init_images.${i}`));
    if (body.mask !== undefined && body.mask !== null) a1111Image(P, body.mask, 'mask');
  }
  return { problems: P.list, parsed };
}

const isLink = (v) => Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'number';

// Every string anywhere under value that still holds a template placeholder.
function placeholders(value, path, out) {
  if (typeof value === 'string') { if (value.includes('{{') || value.includes('}}')) out.push({ path, value }); }
  else if (Array.isArray(value)) value.forEach((v, i) => placeholders(v, `${path}[${i}]`, out));
  else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) placeholders(v, `${path}.${k}`, out);
  return out;
}

/**
 * Validate a ComfyUI POST /prompt body. Returns {ok:true, parsed} or {ok:false, error:{type,
 * message, details}, nodeErrors, problems} using ComfyUI's own error types:
 * no_prompt, invalid_prompt (graph structure), prompt_no_outputs, prompt_outputs_failed_validation.
 */
export function validateComfyPrompt(body) {
  const problems = [];
  const nodeErrors = {};
  const fail = (type, message, details = '') => ({ ok: false, error: { type, message, details, extra_info: {} }, nodeErrors, problems: problems.length ? problems : [`${message}${details ? `: ${details}` : ''}`] });
  if (!isPlainObject(body) || body.prompt === undefined) return fail('no_prompt', 'No prompt provided');
  const graph = body.prompt;
  if (!isPlainObject(graph) || Object.keys(graph).length === 0) return fail('invalid_prompt', 'Invalid prompt', 'prompt must be a non-empty object of nodes (API format)');
  if (body.client_id !== undefined && typeof body.client_id !== 'string') return fail('invalid_prompt', 'Invalid prompt', 'client_id must be a string');

  for (const [id, node] of Object.entries(graph)) {
    if (!isPlainObject(node) || typeof node.class_type !== 'string') {
      return fail('invalid_prompt', 'Cannot execute because a node is missing the class_type property.', `Node ID '#${id}'` +
        (isPlainObject(node) && (node.nodes || node.links) ? ' (this looks like the UI workflow format; export with "Save (API Format)")' : ''));
    }
    if (!isPlainObject(node.inputs)) return fail('invalid_prompt', 'Invalid prompt', `node ${id} (${node.class_type}) has no inputs object`);
    for (const [name, v] of Object.entries(node.inputs)) {
      if (!isLink(v)) continue;
      if (!graph[v[0]]) return fail('invalid_prompt', 'Invalid prompt', `node ${id} input ${name} links to node ${v[0]}, which does not exist`);
      if (!Number.isInteger(v[1]) || v[1] < 0) return fail('invalid_prompt', 'Invalid prompt', `node ${id} input ${name} has a bad output index ${v[1]}`);
    }
  }
  const byType = (t) => Object.entries(graph).filter(([, n]) => n.class_type === t).map(([id]) => id);
  const saves = byType('SaveImage');
  if (saves.length === 0) return fail('prompt_no_outputs', 'Prompt has no outputs', 'the graph needs a SaveImage node');

  const nodeProblem = (id, message, details) => {
    problems.push(`node ${id} (${graph[id].class_type}): ${message}${details ? ` (${details})` : ''}`);
    nodeErrors[id] ??= { errors: [], dependent_outputs: saves, class_type: graph[id].class_type };
    nodeErrors[id].errors.push({ type: 'value_not_valid', message, details, extra_info: {} });
  };
  for (const [id, node] of Object.entries(graph)) {
    for (const hit of placeholders(node.inputs, 'inputs', [])) {
      nodeProblem(id, 'unreplaced template placeholder', `${hit.path} = ${JSON.stringify(hit.value.slice(0, 80))}`);
    }
  }
  const parsed = { saves: saves.map((id) => ({ id, prefix: graph[id].inputs.filename_prefix })), width: 512, height: 512, batch: 1, seed: 0 };
  const latents = byType('EmptyLatentImage');
  if (latents.length === 0) problems.push('the graph needs an EmptyLatentImage node');
  for (const id of latents) {
    const inputs = graph[id].inputs;
    for (const [name, min, max] of [['width', 16, 16384], ['height', 16, 16384], ['batch_size', 1, 4096]]) {
      const v = inputs[name];
      if (!Number.isInteger(v)) nodeProblem(id, `${name} must be an integer`, `got ${JSON.stringify(v)}`);
      else if (v < min || v > max) nodeProblem(id, `${name} ${v} is out of range [${min}, ${max}]`, '');
      else if (name !== 'batch_size' && v % 8 !== 0) nodeProblem(id, `${name} ${v} is not a multiple of 8`, '');
    }
  }
  if (latents[0]) Object.assign(parsed, { width: graph[latents[0]].inputs.width, height: graph[latents[0]].inputs.height, batch: graph[latents[0]].inputs.batch_size });
  const samplers = [...byType('KSampler'), ...byType('KSamplerAdvanced')];
  if (samplers.length === 0) problems.push('the graph needs a KSampler node');
  for (const id of samplers) {
    const key = graph[id].class_type === 'KSampler' ? 'seed' : 'noise_seed';
    const v = graph[id].inputs[key];
    if (!Number.isSafeInteger(v) || v < 0) nodeProblem(id, `${key} must be a non-negative integer`, `got ${JSON.stringify(v)}`);
    else if (id === samplers[0]) parsed.seed = v;
  }
  if (problems.length) {
    return { ok: false, nodeErrors, problems,
      error: { type: 'prompt_outputs_failed_validation', message: 'Prompt outputs failed validation', details: problems.join('; '), extra_info: {} } };
  }
  return { ok: true, parsed, problems: [] };
}
