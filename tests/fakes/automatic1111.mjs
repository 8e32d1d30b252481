// Fake AUTOMATIC1111 / Forge web UI API (providers.md §7.1): POST /sdapi/v1/txt2img and
// /img2img, GET /sdapi/v1/sd-models, /progress, /options (and POST /options).
// Body validation errors come back as FastAPI does it for this app: HTTP 422 with
// {"detail":[{"loc":["body",...],"msg","type"}]}. Other errors use the web UI's own
// handler shape {"error","detail","body","errors"}.
import { randomInt } from 'node:crypto';
import { validateA1111 } from './schemas/sd.mjs';
import { encodePng } from './png.mjs';
import { jsonReply } from './util.mjs';

function a1111Error(status, error, detail) {
  return jsonReply(status, { error, detail, body: '', errors: '' });
}

const MODELS = [
  { title: 'sd_xl_base_1.0.safetensors [31e35c80fc]', model_name: 'sd_xl_base_1.0', hash: '31e35c80fc',
    sha256: '31e35c80fc4829d14f90153f4c74cd59c90b779f6afe05a74cd6120b893f7e5b', filename: '/models/Stable-diffusion/sd_xl_base_1.0.safetensors', config: null },
  { title: 'v1-5-pruned-emaonly.safetensors [6ce0161689]', model_name: 'v1-5-pruned-emaonly', hash: '6ce0161689',
    sha256: '6ce0161689b3853acaa03779ec93eafe75a02f4ced659bee03f50797806fa2fa', filename: '/models/Stable-diffusion/v1-5-pruned-emaonly.safetensors', config: null },
];

export function createProvider() {
  const options = { sd_model_checkpoint: MODELS[0].title, CLIP_stop_at_last_layers: 1, samples_format: 'png' };

  function validate(ctx) {
    const key = `${ctx.method} ${ctx.path}`;
    if (['GET /sdapi/v1/sd-models', 'GET /sdapi/v1/progress', 'GET /sdapi/v1/options'].includes(key)) return { problems: [], kind: key };
    if (key === 'POST /sdapi/v1/options') {
      return ctx.json && typeof ctx.json === 'object' && !Array.isArray(ctx.json)
        ? { problems: [], kind: key } : { problems: ['body: must be a JSON object of option names to values'], kind: key };
    }
    if (key === 'POST /sdapi/v1/txt2img' || key === 'POST /sdapi/v1/img2img') {
      if (ctx.jsonError || ctx.json === undefined) return { kind: key, problems: [`body: JSON decode error (${ctx.jsonError || 'empty body'})`] };
      const { problems, parsed } = validateA1111(ctx.json, { img2img: key.endsWith('img2img') });
      return { kind: key, problems, parsed };
    }
    const verdict = `Not Found: ${key}`;
    return { problems: [], verdict, error: jsonReply(404, { detail: 'Not Found' }) };
  }

  function invalid(ctx, v) {
    const detail = v.problems.map((p) => {
      const m = /^([^:]*): (.*)$/s.exec(p);
      const loc = ['body', ...(m && m[1] ? m[1].split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s)) : [])];
      return { loc, msg: m ? m[2] : p, type: 'value_error' };
    });
    return jsonReply(422, { detail });
  }

  function respond(ctx, v) {
    switch (v.kind) {
      case 'GET /sdapi/v1/sd-models': return jsonReply(200, MODELS);
      case 'GET /sdapi/v1/options': return jsonReply(200, options);
      case 'POST /sdapi/v1/options': Object.assign(options, ctx.json); return jsonReply(200, null);
      case 'GET /sdapi/v1/progress':
        return jsonReply(200, { progress: 0, eta_relative: 0, state: { skipped: false, interrupted: false, job: '', job_count: 0, job_timestamp: '0', job_no: 0, sampling_step: 0, sampling_steps: 0 }, current_image: null, textinfo: null });
      default: return generate(ctx, v);
    }
  }

  function generate(ctx, v) {
    const p = v.parsed;
    // -1 means "random" in A1111; the seed actually used is reported in info.
    const seed = p.seed === -1 ? randomInt(0, 2 ** 32 - 1) : p.seed;
    const count = p.batch_size * p.n_iter;
    const allSeeds = Array.from({ length: count }, (_, i) => seed + i);
    const images = allSeeds.map((s) => encodePng({ width: p.width, height: p.height, seed: s }).toString('base64'));
    const parameters = { ...ctx.json };
    for (const k of ['init_images', 'mask']) if (parameters[k]) parameters[k] = null; // the web UI does not echo images
    const infotext = `${p.prompt}\nNegative prompt: ${p.negative_prompt}\nSteps: ${p.steps}, CFG scale: ${p.cfg_scale}, Seed: ${seed}, Size: ${p.width}x${p.height}`;
    const info = {
      prompt: p.prompt, all_prompts: allSeeds.map(() => p.prompt), negative_prompt: p.negative_prompt,
      seed, all_seeds: allSeeds, subseed: seed, all_subseeds: allSeeds,
      width: p.width, height: p.height, steps: p.steps, cfg_scale: p.cfg_scale, batch_size: p.batch_size, n_iter: p.n_iter,
      sd_model_name: options.sd_model_checkpoint, infotexts: allSeeds.map(() => infotext),
    };
    return jsonReply(200, { images, parameters, info: JSON.stringify(info) });
  }

  function refuse(ctx, v) {
    if (!v.parsed) return respond(ctx, v);
    return jsonReply(500, { error: 'NSFW content detected', detail: 'The generated image was flagged by the safety checker and withheld.', body: '', errors: '' });
  }

  function faultReply(mode, fault) {
    switch (mode) {
      case 'throttle': {
        const r = a1111Error(429, 'HTTPException', 'Too many requests');
        r.headers['Retry-After'] = String(fault.retry_after);
        return r;
      }
      case 'error500': return a1111Error(500, 'RuntimeError', 'CUDA error: an illegal memory access was encountered');
      case 'error503': return a1111Error(503, 'HTTPException', 'Service Unavailable');
      case 'expired_token': return jsonReply(401, { detail: 'Incorrect username or password' });
      case 'access_denied': return jsonReply(403, { detail: 'Forbidden' });
      default: throw new Error(`fault ${mode} is handled by server.mjs`);
    }
  }

  return {
    name: 'automatic1111', validate, invalid, respond, refuse, faultReply,
    authenticate: (ctx) => ({ ok: true, signature: /^Bearer /i.test(ctx.headers.authorization || '') ? 'bearer' : 'none' }),
    isModelCall: (ctx) => ctx.method === 'POST' && /^\/sdapi\/v1\/(txt2img|img2img)$/.test(ctx.path),
  };
}
