// Validators for the OpenAI-compatible bodies (providers.md §6.1, with the local-server
// dialects of §6.2: Ollama's data-URL-only images, sd.cpp/LocalAI image sizes and
// negative_prompt/seed extensions). Each returns {problems, parsed}.
import { Problems, obj, str, int, num, oneOf, arr, bool, typeOf } from './common.mjs';
import { decodeBase64, hash32, isPlainObject } from '../util.mjs';
import { sniffImage } from '../png.mjs';

const DATA_URL = /^data:image\/(png|jpeg|jpg|webp|gif);base64,(.*)$/s;

function bodyObject(P, body) {
  if (!isPlainObject(body)) { P.add('', `request body must be a JSON object, got ${typeOf(body)}`); return false; }
  return true;
}

function imageUrl(P, part, path) {
  const iu = obj(P, part, 'image_url', path, { required: true });
  if (!iu) return undefined;
  oneOf(P, iu, 'detail', `${path}.image_url`, ['auto', 'low', 'high']);
  const url = str(P, iu, 'url', `${path}.image_url`, { required: true });
  if (url === undefined) return undefined;
  const up = `${path}.image_url.url`;
  if (/^https?:\/\//i.test(url)) {
    P.add(up, 'remote image URLs are not supported: send the image inline as a base64 data URI (data:image/png;base64,...), as Ollama requires');
    return undefined;
  }
  const m = DATA_URL.exec(url);
  if (!m) { P.add(up, `must be a data:image/(png|jpeg|webp|gif);base64,... URL (got ${JSON.stringify(url.slice(0, 40))})`); return undefined; }
  const d = decodeBase64(m[2]);
  if (d.error) { P.add(up, `base64 payload ${d.error}`); return undefined; }
  const declared = m[1] === 'jpg' ? 'jpeg' : m[1];
  const actual = sniffImage(d.bytes);
  if (actual !== declared) P.add(up, `data URL says image/${m[1]} but the bytes are ${actual || 'not a recognised image'}`);
  return d.bytes;
}

export function validateChat(body) {
  const P = new Problems();
  const parsed = { userText: '', systemText: '', images: [], chars: 0, imageCount: 0, maxTokens: undefined, jsonMode: false, n: 1, model: '' };
  if (!bodyObject(P, body)) return { problems: P.list, parsed };
  parsed.model = str(P, body, 'model', '', { required: true, min: 1 }) || '';
  const messages = arr(P, body, 'messages', '', { required: true, min: 1 }) || [];
  messages.forEach((m, i) => {
    const mp = `messages[${i}]`;
    if (!isPlainObject(m)) { P.add(mp, `must be an object, got ${typeOf(m)}`); return; }
    const role = oneOf(P, m, 'role', mp, ['system', 'developer', 'user', 'assistant', 'tool'], { required: true });
    const texts = []; const images = [];
    const c = m.content;
    if (c === undefined || c === null) {
      if (role !== 'assistant') P.add(`${mp}.content`, 'is required');
    } else if (typeof c === 'string') {
      texts.push(c);
    } else if (Array.isArray(c)) {
      if (c.length === 0) P.add(`${mp}.content`, 'must not be an empty array');
      c.forEach((part, j) => {
        const pp = `${mp}.content[${j}]`;
        if (!isPlainObject(part)) { P.add(pp, `must be an object, got ${typeOf(part)}`); return; }
        const type = oneOf(P, part, 'type', pp, ['text', 'image_url'], { required: true });
        if (type === 'text') { const t = str(P, part, 'text', pp, { required: true }); if (t !== undefined) texts.push(t); }
        if (type === 'image_url') {
          if (role !== 'user') P.add(pp, `image_url parts are only allowed in user messages (role is ${role})`);
          parsed.imageCount++;
          const bytes = imageUrl(P, part, pp);
          if (bytes) images.push(bytes);
        }
      });
    } else {
      P.add(`${mp}.content`, `must be a string or an array of content parts, got ${typeOf(c)}`);
    }
    const text = texts.join('\n');
    parsed.chars += text.length;
    if (role === 'system' || role === 'developer') parsed.systemText += `${text}\n`;
    if (role === 'user') { parsed.userText = text; parsed.images = images; }
  });
  const mt = int(P, body, 'max_tokens', '', { min: 1 });
  const mct = int(P, body, 'max_completion_tokens', '', { min: 1 });
  parsed.maxTokens = mct ?? mt;
  num(P, body, 'temperature', '', { min: 0, max: 2 });
  num(P, body, 'top_p', '', { min: 0, max: 1 });
  parsed.n = int(P, body, 'n', '', { min: 1, max: 8 }) ?? 1;
  if (bool(P, body, 'stream', '') === true) P.add('stream', 'streaming responses are not implemented by this fake; send stream:false');
  const rf = obj(P, body, 'response_format', '');
  if (rf) parsed.jsonMode = ['json_object', 'json_schema'].includes(oneOf(P, rf, 'type', 'response_format', ['text', 'json_object', 'json_schema'], { required: true }));
  return { problems: P.list, parsed };
}

export function validateEmbeddings(body) {
  const P = new Problems();
  const parsed = { inputs: [], dim: 768, base64: false, model: '' };
  if (!bodyObject(P, body)) return { problems: P.list, parsed };
  parsed.model = str(P, body, 'model', '', { required: true, min: 1 }) || '';
  const input = body.input;
  if (input === undefined) P.add('input', 'is required');
  else if (typeof input === 'string') {
    if (input.length === 0) P.add('input', 'must not be an empty string');
    parsed.inputs = [input];
  } else if (Array.isArray(input)) {
    if (input.length < 1 || input.length > 2048) P.add('input', `must have 1 to 2048 items (got ${input.length})`);
    input.forEach((s, i) => {
      if (typeof s === 'number' || Array.isArray(s)) P.add(`input[${i}]`, 'token arrays are not supported by this server (as with Ollama): send strings');
      else if (typeof s !== 'string') P.add(`input[${i}]`, `must be a string, got ${typeOf(s)}`);
      else if (s.length === 0) P.add(`input[${i}]`, 'must not be an empty string');
    });
    parsed.inputs = input.filter((s) => typeof s === 'string');
  } else P.add('input', `must be a string or an array of strings, got ${typeOf(input)}`);
  parsed.dim = int(P, body, 'dimensions', '', { min: 1, max: 4096 }) ?? 768;
  parsed.base64 = oneOf(P, body, 'encoding_format', '', ['float', 'base64']) === 'base64';
  return { problems: P.list, parsed };
}

export const OPENAI_SIZES = ['256x256', '512x512', '1024x1024', '1536x1024', '1024x1536', '1792x1024', '1024x1792'];

export function validateImages(body) {
  const P = new Problems();
  const parsed = { width: 1024, height: 1024, n: 1, seed: 0, prompt: '' };
  if (!bodyObject(P, body)) return { problems: P.list, parsed };
  parsed.prompt = str(P, body, 'prompt', '', { required: true, min: 1, max: 4000 }) || '';
  str(P, body, 'model', '');
  parsed.n = int(P, body, 'n', '', { min: 1, max: 10 }) ?? 1;
  const size = str(P, body, 'size', '');
  if (size !== undefined && size !== 'auto' && !OPENAI_SIZES.includes(size)) {
    // sd.cpp / LocalAI dialect: any WxH with both sides multiples of 64 in 256..2048.
    const m = /^(\d+)x(\d+)$/.exec(size);
    const okSide = (x) => x % 64 === 0 && x >= 256 && x <= 2048;
    if (!m || !okSide(+m[1]) || !okSide(+m[2])) {
      P.add('size', `${JSON.stringify(size)} is not one of ${OPENAI_SIZES.join(', ')}, auto, or WxH with both sides multiples of 64 between 256 and 2048`);
    }
  }
  if (size && /^\d+x\d+$/.test(size)) [parsed.width, parsed.height] = size.split('x').map(Number);
  const rf = oneOf(P, body, 'response_format', '', ['b64_json', 'url']);
  if (rf === 'url') P.add('response_format', '"url" is not supported: this fake serves only b64_json (as Ollama and stable-diffusion.cpp do)');
  str(P, body, 'negative_prompt', '');
  const seed = int(P, body, 'seed', '', { min: -1, max: 4294967295 });
  parsed.seed = seed === undefined || seed === -1 ? hash32(parsed.prompt) : seed;
  return { problems: P.list, parsed };
}
