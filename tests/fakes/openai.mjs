// Fake OpenAI-compatible server (providers.md §6): /v1/chat/completions, /v1/embeddings,
// /v1/images/generations and GET /v1/models, in the dialect local servers speak (Ollama,
// llama.cpp, LocalAI, stable-diffusion.cpp): images only as base64 data URLs, b64_json
// image results, sd.cpp-style free WxH sizes. Errors use OpenAI's
// {"error":{"message","type","param","code"}} shape.
import { randomBytes } from 'node:crypto';
import { validateChat, validateEmbeddings, validateImages } from './schemas/openai.mjs';
import { chatReply, limitTokens, tokensFor, IMAGE_TOKENS } from './content.mjs';
import { textVector } from './embeddings.mjs';
import { encodePng } from './png.mjs';
import { jsonReply } from './util.mjs';

export function openaiError(status, message, type = 'invalid_request_error', code = null, param = null, headers = {}) {
  return jsonReply(status, { error: { message, type, param, code } }, headers);
}

const ROUTES = {
  'POST /v1/chat/completions': { kind: 'chat', validator: validateChat },
  'POST /v1/embeddings': { kind: 'embeddings', validator: validateEmbeddings },
  'POST /v1/images/generations': { kind: 'images', validator: validateImages },
};
const MODELS = ['fake-chat', 'fake-vision', 'fake-embed', 'fake-image'];

export function createProvider(config) {
  function authenticate(ctx) {
    const authz = ctx.headers.authorization;
    const m = /^Bearer (.+)$/i.exec(authz || '');
    if (!config.apiKey) return { ok: true, signature: m ? 'bearer' : 'none' };
    if (!m) {
      return { ok: false, signature: 'none', reason: 'auth: no API key',
        reply: openaiError(401, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).") };
    }
    if (m[1].trim() !== config.apiKey) {
      return { ok: false, signature: 'invalid: wrong API key', reason: 'auth: wrong API key',
        reply: openaiError(401, 'Incorrect API key provided', 'invalid_request_error', 'invalid_api_key') };
    }
    return { ok: true, signature: 'bearer' };
  }

  function validate(ctx) {
    if (ctx.method === 'GET' && (ctx.path === '/v1/models' || ctx.path.startsWith('/v1/models/'))) return { problems: [], kind: 'models' };
    const route = ROUTES[`${ctx.method} ${ctx.path}`];
    if (!route) {
      const verdict = `Invalid URL (${ctx.method} ${ctx.path})`;
      return { problems: [], verdict, error: openaiError(404, verdict) };
    }
    if (ctx.jsonError || ctx.json === undefined) {
      return { kind: route.kind, problems: [`We could not parse the JSON body of your request. (${ctx.jsonError || 'empty body'})`] };
    }
    const { problems, parsed } = route.validator(ctx.json);
    return { kind: route.kind, problems, parsed };
  }

  function invalid(ctx, v) {
    const param = /^([\w.[\]]+): /.exec(v.problems[0])?.[1] ?? null;
    return openaiError(400, v.problems.join('; '), 'invalid_request_error', null, param);
  }

  const created = () => Math.floor(Date.now() / 1000);

  function respond(ctx, v) {
    const p = v.parsed;
    if (v.kind === 'models') {
      const id = ctx.path.slice('/v1/models/'.length);
      const list = MODELS.map((m) => ({ id: m, object: 'model', created: 1700000000, owned_by: 'adloom-fake' }));
      if (id) return list.find((m) => m.id === id) ? jsonReply(200, list.find((m) => m.id === id)) : openaiError(404, `The model '${id}' does not exist`, 'invalid_request_error', 'model_not_found');
      return jsonReply(200, { object: 'list', data: list });
    }
    if (v.kind === 'chat') {
      const full = chatReply({ userText: p.userText, systemText: p.systemText, images: p.images, jsonMode: p.jsonMode });
      const { text, truncated } = limitTokens(full, p.maxTokens);
      return chatCompletion(p, text, truncated ? 'length' : 'stop');
    }
    if (v.kind === 'embeddings') {
      const data = p.inputs.map((s, index) => {
        const vec = textVector(s, p.dim);
        const embedding = p.base64 ? Buffer.from(new Float32Array(vec).buffer).toString('base64') : vec;
        return { object: 'embedding', index, embedding };
      });
      const tokens = p.inputs.reduce((n, s) => n + tokensFor(s.length), 0);
      return jsonReply(200, { object: 'list', data, model: p.model, usage: { prompt_tokens: tokens, total_tokens: tokens } });
    }
    const data = [];
    for (let i = 0; i < p.n; i++) data.push({ b64_json: encodePng({ width: p.width, height: p.height, seed: p.seed + i }).toString('base64') });
    return jsonReply(200, { created: created(), output_format: 'png', data });
  }

  function chatCompletion(p, content, finishReason) {
    const promptTokens = tokensFor(p.chars) + IMAGE_TOKENS * p.imageCount;
    const completionTokens = tokensFor((content || '').length) * p.n;
    return jsonReply(200, {
      id: `chatcmpl-${randomBytes(12).toString('hex')}`,
      object: 'chat.completion',
      created: created(),
      model: p.model,
      system_fingerprint: 'fp_adloom_fake',
      choices: Array.from({ length: p.n }, (_, index) => ({
        index, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: finishReason,
      })),
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    });
  }

  function refuse(ctx, v) {
    if (v.kind === 'chat') return chatCompletion(v.parsed, null, 'content_filter');
    if (v.kind === 'models') return respond(ctx, v);
    return openaiError(400, 'Your request was rejected as a result of our safety system.', 'invalid_request_error', 'content_policy_violation');
  }

  function faultReply(mode, fault) {
    switch (mode) {
      case 'throttle': return openaiError(429, 'Rate limit reached', 'rate_limit_exceeded', 'rate_limit_exceeded', null, { 'Retry-After': String(fault.retry_after) });
      case 'error500': return openaiError(500, 'The server had an error while processing your request. Sorry about that!', 'server_error');
      case 'error503': return openaiError(503, 'The engine is currently overloaded, please try again later.', 'server_error', 'service_unavailable');
      case 'expired_token': return openaiError(401, 'Incorrect API key provided', 'invalid_request_error', 'invalid_api_key');
      case 'access_denied': return openaiError(403, 'You are not allowed to use this model.', 'permission_error', 'model_not_found');
      default: throw new Error(`fault ${mode} is handled by server.mjs`);
    }
  }

  return {
    name: 'openai', authenticate, validate, invalid, respond, refuse, faultReply,
    isModelCall: (ctx) => ctx.method === 'POST' && ctx.path.startsWith('/v1/'),
  };
}
