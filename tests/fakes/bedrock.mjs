// Fake Amazon Bedrock Runtime: POST /model/{modelId}/converse and /model/{modelId}/invoke
// (providers.md §2–§5). Authentication is SigV4 (checked by sigv4_verify.mjs) or, when
// --bearer-token is set, a Bedrock API key sent as "Authorization: Bearer <key>".
// Errors are rest-json shaped like the real service: status, x-amzn-ErrorType header and
// {"message": ...} body.
import { randomUUID } from 'node:crypto';
import { verifySigV4 } from './sigv4_verify.mjs';
import { validateConverse, validateTitanEmbed, validateNovaMme, validateImageGen, validateStability } from './schemas/bedrock.mjs';
import { chatReply, limitTokens, tokensFor, IMAGE_TOKENS } from './content.mjs';
import { textVector, imageVector, averageVectors } from './embeddings.mjs';
import { encodePng } from './png.mjs';
import { jsonReply } from './util.mjs';

const CONTENT_FILTER = 'This request has been blocked by our content filters. Please adjust your text prompt to submit a new request.';
const MAX_INVOKE_BODY = 25000000;

export function bedrockError(status, type, message, headers = {}) {
  return jsonReply(status, { message }, { 'x-amzn-ErrorType': type, 'x-amzn-RequestId': randomUUID(), ...headers });
}

// Inference-profile ids (us.amazon.nova-pro-v1:0) and ARNs name the same model; reduce
// them to the base model id to pick the schema.
export function baseModelId(id) {
  const arn = /^arn:aws[^:]*:bedrock:[^:]*:[^:]*:(?:foundation-model|inference-profile|application-inference-profile)\/(.+)$/.exec(id);
  const bare = arn ? arn[1] : id;
  return bare.replace(/^(us|eu|apac|ap|ca|jp|au|us-gov|global)\./, '');
}

function invokeKind(model) {
  if (model.startsWith('amazon.titan-embed-image-v1')) return 'titanEmbed';
  if (model === 'amazon.nova-2-multimodal-embeddings-v1:0') return 'mme';
  if (model === 'amazon.nova-canvas-v1:0' || /^amazon\.titan-image-generator-v[12](:0)?$/.test(model)) return 'imageGen';
  if (model.startsWith('stability.')) return 'stability';
  return null;
}

const NOT_CHAT = /nova-canvas|titan-image|titan-embed|multimodal-embeddings|^stability\./;

export function createProvider(config) {
  const sigCfg = { accessKey: config.accessKey, secretKey: config.secretKey, sessionToken: config.sessionToken, region: config.region, service: 'bedrock' };

  async function authenticate(ctx) {
    const authz = ctx.headers.authorization || '';
    if (/^Bearer /i.test(authz)) {
      const token = authz.slice(7).trim();
      if (config.bearerToken && token === config.bearerToken) return { ok: true, signature: 'bearer' };
      const why = config.bearerToken ? 'wrong bearer token' : 'bearer tokens are not enabled (start the fake with --bearer-token)';
      return { ok: false, signature: `invalid: ${why}`, reason: `auth: ${why}`, reply: bedrockError(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.') };
    }
    const r = await verifySigV4({ method: ctx.method, url: ctx.url, rawHeaders: ctx.rawHeaders, body: ctx.body }, sigCfg);
    if (r.ok) return r;
    return { ok: false, signature: r.signature, reason: `auth: ${r.signature}`, canonicalRequest: r.canonicalRequest, reply: bedrockError(r.status, r.errorType, r.message) };
  }

  function route(ctx) {
    const m = /^\/model\/([^/]+)\/([a-z-]+)$/.exec(ctx.path);
    if (!m || ctx.method !== 'POST') return null;
    let modelId;
    try { modelId = decodeURIComponent(m[1]); } catch { return null; }
    return { modelId, op: m[2] };
  }

  async function validate(ctx) {
    const r = route(ctx);
    if (!r || !['converse', 'invoke'].includes(r.op)) {
      const verdict = `unknown operation ${ctx.method} ${ctx.path} (this fake implements Converse and InvokeModel)`;
      return { problems: [], verdict, error: bedrockError(404, 'UnknownOperationException', verdict) };
    }
    const v = { ...r, problems: [], model: baseModelId(r.modelId) };
    if (r.op === 'invoke') {
      v.kind = invokeKind(v.model);
      if (!v.kind) {
        const verdict = `unknown model ${r.modelId}`;
        return { ...v, verdict, error: bedrockError(404, 'ResourceNotFoundException', `Could not resolve the foundation model from the provided model identifier: ${r.modelId}.`) };
      }
    }
    const ctype = ctx.headers['content-type'] || '';
    if (!/^application\/json\s*(;|$)/i.test(ctype)) v.problems.push(`Content-Type must be application/json (got ${ctype || 'none'})`);
    if (ctx.body.length > MAX_INVOKE_BODY) v.problems.push(`body is ${ctx.body.length} bytes; the maximum is ${MAX_INVOKE_BODY}`);
    if (ctx.jsonError || ctx.json === undefined) {
      v.errorType = r.op === 'converse' ? 'SerializationException' : 'ValidationException';
      v.problems.push(`Malformed input request: body is not valid JSON (${ctx.jsonError || 'empty body'})`);
      return v;
    }
    let result;
    if (r.op === 'converse') {
      if (NOT_CHAT.test(v.model)) {
        v.problems.push("This action doesn't support the model that you provided. Try again with a supported text or chat model.");
        return v;
      }
      result = validateConverse(ctx.json, v.model);
    } else {
      result = { titanEmbed: validateTitanEmbed, mme: validateNovaMme, imageGen: validateImageGen, stability: validateStability }[v.kind](ctx.json);
    }
    v.problems.push(...result.problems);
    v.parsed = result.parsed;
    return v;
  }

  function invalid(ctx, v) {
    const n = v.problems.length;
    return bedrockError(400, v.errorType || 'ValidationException', `${n} validation error${n === 1 ? '' : 's'} detected: ${v.problems.join('; ')}`);
  }

  function invokeHeaders(ctx, inTok = 0, outTok = 0) {
    return {
      'x-amzn-RequestId': randomUUID(),
      'X-Amzn-Bedrock-Invocation-Latency': String(Date.now() - ctx.started + config.latencyMs),
      'X-Amzn-Bedrock-Input-Token-Count': String(inTok),
      'X-Amzn-Bedrock-Output-Token-Count': String(outTok),
    };
  }

  function converseReply(ctx, v, text, stopReason) {
    const p = v.parsed;
    const inputTokens = tokensFor(p.chars) + IMAGE_TOKENS * p.images;
    const outputTokens = tokensFor(text.length);
    return jsonReply(200, {
      output: { message: { role: 'assistant', content: [{ text }] } },
      stopReason,
      usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
      metrics: { latencyMs: Date.now() - ctx.started + config.latencyMs },
    }, { 'x-amzn-RequestId': randomUUID() });
  }

  async function respond(ctx, v) {
    const p = v.parsed;
    if (v.op === 'converse') {
      const full = chatReply({ userText: p.lastUserText, systemText: p.systemText, images: p.lastUserImages });
      const { text, truncated } = limitTokens(full, p.maxTokens);
      return converseReply(ctx, v, text, truncated ? 'max_tokens' : 'end_turn');
    }
    if (v.kind === 'titanEmbed') {
      const t = p.text !== undefined ? textVector(p.text, p.dim) : null;
      const i = p.imageB64 !== undefined ? imageVector(p.imageB64, p.dim) : null;
      const tokens = p.text ? tokensFor(p.text.length) : 0;
      return jsonReply(200, { embedding: t && i ? averageVectors(t, i) : t || i, inputTextTokenCount: tokens, message: null }, invokeHeaders(ctx, tokens));
    }
    if (v.kind === 'mme') {
      const isText = p.kind === 'text';
      const embedding = isText ? textVector(p.text, p.dim) : imageVector(p.imageB64, p.dim);
      return jsonReply(200, { embeddings: [{ embeddingType: isText ? 'TEXT' : 'IMAGE', embedding }] }, invokeHeaders(ctx, isText ? tokensFor(p.text.length) : 0));
    }
    if (v.kind === 'imageGen') {
      const images = [];
      for (let i = 0; i < p.n; i++) images.push(encodePng({ width: p.width, height: p.height, seed: p.seed + i }).toString('base64'));
      return jsonReply(200, { images }, invokeHeaders(ctx, tokensFor(p.text.length)));
    }
    // stability: one image per call, size from aspect_ratio (or the input image).
    const png = encodePng({ width: p.width, height: p.height, seed: p.seed });
    return jsonReply(200, { seeds: [p.seed], finish_reasons: [null], images: [png.toString('base64')] }, invokeHeaders(ctx, tokensFor(p.prompt.length)));
  }

  // The content-filter outcome each model family really produces (providers.md §3.5, §3.7).
  function refuse(ctx, v) {
    if (v.op === 'converse') return converseReply(ctx, v, "Sorry, I can't help with that.", 'guardrail_intervened');
    if (v.kind === 'stability') return jsonReply(200, { seeds: [v.parsed.seed], finish_reasons: ['Filter reason: prompt'], images: [] }, invokeHeaders(ctx));
    return bedrockError(400, 'ValidationException', CONTENT_FILTER);
  }

  function faultReply(mode, fault) {
    switch (mode) {
      case 'throttle': return bedrockError(429, 'ThrottlingException', 'Too many requests, please wait before trying again.', { 'Retry-After': String(fault.retry_after) });
      case 'error500': return bedrockError(500, 'InternalServerException', 'The server encountered an internal error while processing the request.');
      case 'error503': return bedrockError(503, 'ServiceUnavailableException', 'The service is temporarily unable to handle the request. Please try again later.');
      case 'expired_token': return bedrockError(403, 'ExpiredTokenException', 'The security token included in the request is expired');
      case 'access_denied': return bedrockError(403, 'AccessDeniedException', "You don't have access to the model with the specified model ID.");
      default: throw new Error(`fault ${mode} is handled by server.mjs`);
    }
  }

  return {
    name: 'bedrock', authenticate, validate, invalid, respond, refuse, faultReply,
    isModelCall: (ctx) => ctx.path.startsWith('/model/'),
  };
}
