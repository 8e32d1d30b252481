// Validators for the Bedrock bodies the fake accepts (providers.md §2.5, §3, §3.7, §4).
// Each returns {problems: string[], parsed} where parsed carries what the reply needs
// (decoded images, sizes, seeds) so the handler does not decode twice.
import { Problems, noExtraKeys, obj, str, int, num, oneOf, arr, typeOf } from './common.mjs';
import { decodeBase64, decodeImage, isPlainObject } from '../util.mjs';
import { sniffImage } from '../png.mjs';

const MB = 1024 * 1024;
const CONVERSE_KEYS = ['messages', 'system', 'inferenceConfig', 'toolConfig', 'guardrailConfig',
  'additionalModelRequestFields', 'additionalModelResponseFieldPaths', 'promptVariables',
  'requestMetadata', 'performanceConfig', 'serviceTier', 'outputConfig'];
const CONTENT_BLOCK_KEYS = ['text', 'image', 'document', 'video', 'audio', 'toolUse', 'toolResult',
  'guardContent', 'cachePoint', 'reasoningContent', 'citationsContent', 'searchResult', 'toolAddition', 'toolRemoval'];
const IMAGE_FORMATS = ['png', 'jpeg', 'gif', 'webp'];
const DOC_FORMATS = ['pdf', 'csv', 'doc', 'docx', 'xls', 'xlsx', 'html', 'txt', 'md'];
// Text-only models answer image blocks with a ValidationException.
const TEXT_ONLY_MODEL = /nova-micro|titan-text|titan-tg1/;

function mustBeObjectBody(P, body) {
  if (!isPlainObject(body)) { P.add('', `request body must be a JSON object, got ${typeOf(body)}`); return false; }
  return true;
}

// One {format, source:{bytes}} image as Converse and Nova MME take it; returns the bytes.
function imageSource(P, img, path, { maxBytes }) {
  if (!isPlainObject(img)) { P.add(path, `must be an object, got ${typeOf(img)}`); return undefined; }
  const format = oneOf(P, img, 'format', path, IMAGE_FORMATS, { required: true });
  const source = obj(P, img, 'source', path, { required: true });
  if (!source) return undefined;
  const keys = Object.keys(source);
  if (keys.length !== 1 || !['bytes', 's3Location'].includes(keys[0])) {
    P.add(`${path}.source`, `must have exactly one of bytes, s3Location (got ${keys.join(', ') || 'none'})`);
    return undefined;
  }
  if (keys[0] === 's3Location') { P.add(`${path}.source.s3Location`, 'is valid for Bedrock but this fake cannot read S3: send bytes'); return undefined; }
  const d = decodeBase64(source.bytes);
  if (d.error) { P.add(`${path}.source.bytes`, d.error); return undefined; }
  if (d.bytes.length < 1) { P.add(`${path}.source.bytes`, 'must decode to at least 1 byte'); return undefined; }
  if (d.bytes.length > maxBytes) P.add(`${path}.source.bytes`, `image is ${d.bytes.length} bytes, more than the ${maxBytes} allowed`);
  const actual = sniffImage(d.bytes);
  if (format && actual !== format) P.add(`${path}.format`, `says ${format} but the bytes are ${actual || 'not a recognised image'}`);
  return d.bytes;
}

export function validateConverse(body, modelId) {
  const P = new Problems();
  const parsed = { systemText: '', lastUserText: '', lastUserImages: [], chars: 0, images: 0, maxTokens: undefined };
  if (!mustBeObjectBody(P, body)) return { problems: P.list, parsed };
  noExtraKeys(P, body, '', CONVERSE_KEYS);
  const messages = arr(P, body, 'messages', '', { required: true, min: 1 }) || [];
  messages.forEach((m, i) => {
    const mp = `messages.${i}`;
    if (!isPlainObject(m)) { P.add(mp, `must be an object, got ${typeOf(m)}`); return; }
    noExtraKeys(P, m, mp, ['role', 'content']);
    const role = oneOf(P, m, 'role', mp, ['user', 'assistant'], { required: true });
    if (i === 0 && role && role !== 'user') P.add(mp, 'A conversation must start with a user message. Try again with a conversation that starts with a user message.');
    if (i > 0 && role && messages[i - 1]?.role === role) P.add(mp, 'A conversation must alternate between user and assistant roles.');
    const content = arr(P, m, 'content', mp, { required: true, min: 1 }) || [];
    let images = 0; let hasText = false; let hasDoc = false; const texts = []; const imgs = [];
    content.forEach((block, j) => {
      const bp = `${mp}.content.${j}`;
      if (!isPlainObject(block)) { P.add(bp, `must be an object, got ${typeOf(block)}`); return; }
      const keys = Object.keys(block);
      if (keys.length !== 1) { P.add(bp, `a ContentBlock must have exactly one member, got ${keys.length} (${keys.join(', ')})`); return; }
      const [key] = keys;
      if (!CONTENT_BLOCK_KEYS.includes(key)) { P.add(bp, `unknown ContentBlock member ${key}`); return; }
      if (key === 'text') {
        const t = str(P, block, 'text', bp, { required: true });
        if (typeof t === 'string' && t.trim() === '') P.add(`${bp}.text`, 'The text field in the ContentBlock object is blank. Add text to the text field, and try again.');
        if (typeof t === 'string') { hasText = true; texts.push(t); parsed.chars += t.length; }
      } else if (key === 'image') {
        images++;
        const bytes = imageSource(P, block.image, `${bp}.image`, { maxBytes: 3.75 * MB });
        if (bytes) imgs.push(bytes);
      } else if (key === 'document') {
        hasDoc = true;
        const d = block.document;
        if (!isPlainObject(d)) { P.add(`${bp}.document`, 'must be an object'); return; }
        oneOf(P, d, 'format', `${bp}.document`, DOC_FORMATS, { required: true });
        str(P, d, 'name', `${bp}.document`, { required: true, min: 1, max: 200 });
        obj(P, d, 'source', `${bp}.document`, { required: true });
      }
    });
    if (images > 20) P.add(mp, `has ${images} images; a message may have at most 20`);
    if (hasDoc && !hasText) P.add(mp, 'a document block requires a text block in the same message');
    parsed.images += images;
    if (role === 'user') { parsed.lastUserText = texts.join('\n'); parsed.lastUserImages = imgs; }
  });
  if (parsed.images > 0 && TEXT_ONLY_MODEL.test(modelId)) {
    P.add('messages', "This model doesn't support the image content block that you provided. Try again with a supported content block.");
  }
  const system = arr(P, body, 'system', '');
  (system || []).forEach((block, i) => {
    const sp = `system.${i}`;
    if (!isPlainObject(block) || Object.keys(block).length !== 1) { P.add(sp, 'a SystemContentBlock must be an object with exactly one member'); return; }
    const [key] = Object.keys(block);
    if (!['text', 'guardContent', 'cachePoint'].includes(key)) { P.add(sp, `unknown SystemContentBlock member ${key}`); return; }
    if (key === 'text') {
      const t = str(P, block, 'text', sp, { required: true, min: 1 });
      if (typeof t === 'string') { parsed.systemText += `${t}\n`; parsed.chars += t.length; }
    }
  });
  const ic = obj(P, body, 'inferenceConfig', '');
  if (ic) {
    noExtraKeys(P, ic, 'inferenceConfig', ['maxTokens', 'temperature', 'topP', 'stopSequences']);
    parsed.maxTokens = int(P, ic, 'maxTokens', 'inferenceConfig', { min: 1 });
    num(P, ic, 'temperature', 'inferenceConfig', { min: 0, max: 1 });
    num(P, ic, 'topP', 'inferenceConfig', { min: 0, max: 1 });
    const stops = arr(P, ic, 'stopSequences', 'inferenceConfig', { max: 2500 });
    (stops || []).forEach((s, i) => { if (typeof s !== 'string' || s.length === 0) P.add(`inferenceConfig.stopSequences.${i}`, 'must be a non-empty string'); });
  }
  if (body.additionalModelRequestFields !== undefined) obj(P, body, 'additionalModelRequestFields', '');
  return { problems: P.list, parsed };
}

export function validateTitanEmbed(body) {
  const P = new Problems();
  const parsed = { text: undefined, imageB64: undefined, dim: 1024 };
  if (!mustBeObjectBody(P, body)) return { problems: P.list, parsed };
  noExtraKeys(P, body, '', ['inputText', 'inputImage', 'embeddingConfig']);
  // ~256 tokens; the fake approximates that as 2000 characters.
  parsed.text = str(P, body, 'inputText', '', { min: 1, max: 2000 });
  if (body.inputImage !== undefined) {
    const img = decodeImage(body.inputImage, { formats: ['png', 'jpeg'], maxBytes: 25 * MB });
    if (img.error) P.add('inputImage', img.error);
    else if (img.size && (img.size.width > 2048 || img.size.height > 2048)) P.add('inputImage', `${img.size.width}x${img.size.height} exceeds the 2048x2048 maximum`);
    else parsed.imageB64 = body.inputImage;
  }
  if (body.inputText === undefined && body.inputImage === undefined) P.add('', 'at least one of inputText and inputImage is required');
  const cfg = obj(P, body, 'embeddingConfig', '');
  if (cfg) {
    noExtraKeys(P, cfg, 'embeddingConfig', ['outputEmbeddingLength']);
    parsed.dim = oneOf(P, cfg, 'outputEmbeddingLength', 'embeddingConfig', [256, 384, 1024]) || 1024;
  }
  return { problems: P.list, parsed };
}

const MME_PURPOSES = ['GENERIC_INDEX', 'GENERIC_RETRIEVAL', 'TEXT_RETRIEVAL', 'IMAGE_RETRIEVAL',
  'VIDEO_RETRIEVAL', 'DOCUMENT_RETRIEVAL', 'AUDIO_RETRIEVAL', 'CLASSIFICATION', 'CLUSTERING'];

export function validateNovaMme(body) {
  const P = new Problems();
  const parsed = { kind: undefined, text: undefined, imageB64: undefined, dim: 3072 };
  if (!mustBeObjectBody(P, body)) return { problems: P.list, parsed };
  noExtraKeys(P, body, '', ['schemaVersion', 'taskType', 'singleEmbeddingParams', 'segmentedEmbeddingParams']);
  oneOf(P, body, 'schemaVersion', '', ['nova-multimodal-embed-v1']);
  const task = oneOf(P, body, 'taskType', '', ['SINGLE_EMBEDDING', 'SEGMENTED_EMBEDDING'], { required: true });
  if (task === 'SEGMENTED_EMBEDDING') P.add('taskType', 'SEGMENTED_EMBEDDING is only available through StartAsyncInvoke; use SINGLE_EMBEDDING with InvokeModel');
  const p = obj(P, body, 'singleEmbeddingParams', '', { required: true });
  if (!p) return { problems: P.list, parsed };
  const base = 'singleEmbeddingParams';
  noExtraKeys(P, p, base, ['embeddingPurpose', 'embeddingDimension', 'text', 'image', 'audio', 'video']);
  oneOf(P, p, 'embeddingPurpose', base, MME_PURPOSES, { required: true });
  parsed.dim = oneOf(P, p, 'embeddingDimension', base, [256, 384, 1024, 3072]) || 3072;
  const inputs = ['text', 'image', 'audio', 'video'].filter((k) => p[k] !== undefined);
  if (inputs.length !== 1) { P.add(base, `exactly one of text, image, audio, video is required (got ${inputs.join(', ') || 'none'})`); return { problems: P.list, parsed }; }
  parsed.kind = inputs[0];
  if (parsed.kind === 'text') {
    const t = obj(P, p, 'text', base, { required: true });
    if (t) {
      noExtraKeys(P, t, `${base}.text`, ['truncationMode', 'value', 'source']);
      oneOf(P, t, 'truncationMode', `${base}.text`, ['START', 'END', 'NONE'], { required: true });
      if (t.source !== undefined) P.add(`${base}.text.source`, 'is valid for Bedrock (S3 only) but this fake cannot read S3: send value');
      parsed.text = str(P, t, 'value', `${base}.text`, { required: t.source === undefined, min: 1, max: 8192 });
    }
  } else if (parsed.kind === 'image') {
    const img = p.image;
    if (isPlainObject(img)) {
      noExtraKeys(P, img, `${base}.image`, ['format', 'detailLevel', 'source']);
      oneOf(P, img, 'detailLevel', `${base}.image`, ['STANDARD_IMAGE', 'DOCUMENT_IMAGE']);
    }
    if (imageSource(P, img, `${base}.image`, { maxBytes: 25 * MB })) parsed.imageB64 = img.source.bytes;
  } else {
    P.add(`${base}.${parsed.kind}`, 'is valid for Bedrock but this fake only embeds text and image');
  }
  return { problems: P.list, parsed };
}

const NOVA_STYLES = ['3D_ANIMATED_FAMILY_FILM', 'DESIGN_SKETCH', 'FLAT_VECTOR_ILLUSTRATION', 'GRAPHIC_NOVEL_ILLUSTRATION',
  'MAXIMALISM', 'MIDCENTURY_RETRO', 'PHOTOREALISM', 'SOFT_DIGITAL_PAINTING'];
const TASK_PARAMS = {
  TEXT_IMAGE: 'textToImageParams', COLOR_GUIDED_GENERATION: 'colorGuidedGenerationParams', IMAGE_VARIATION: 'imageVariationParams',
  INPAINTING: 'inPaintingParams', OUTPAINTING: 'outPaintingParams', BACKGROUND_REMOVAL: 'backgroundRemovalParams', VIRTUAL_TRY_ON: 'virtualTryOnParams',
};
const IMPLEMENTED_TASKS = ['TEXT_IMAGE', 'COLOR_GUIDED_GENERATION', 'IMAGE_VARIATION'];

function inputImage(P, value, path) {
  const img = decodeImage(value, { formats: ['png', 'jpeg'], maxBytes: 25 * MB });
  if (img.error) P.add(path, img.error);
  return img;
}

// Nova Canvas and Titan Image Generator share this body (providers.md §3.1–3.3).
export function validateImageGen(body) {
  const P = new Problems();
  const parsed = { width: 1024, height: 1024, n: 1, seed: 12, text: '' };
  if (!mustBeObjectBody(P, body)) return { problems: P.list, parsed };
  noExtraKeys(P, body, '', ['taskType', ...Object.values(TASK_PARAMS), 'imageGenerationConfig']);
  const task = oneOf(P, body, 'taskType', '', Object.keys(TASK_PARAMS), { required: true });
  if (task && !IMPLEMENTED_TASKS.includes(task)) P.add('taskType', `${task} is a valid task type but this fake implements only ${IMPLEMENTED_TASKS.join(', ')}`);
  for (const [t, key] of Object.entries(TASK_PARAMS)) {
    if (body[key] !== undefined && t !== task) P.add(key, `is not allowed with taskType ${task}`);
  }
  if (task === 'TEXT_IMAGE') {
    const b = 'textToImageParams';
    const p = obj(P, body, b, '', { required: true });
    if (p) {
      noExtraKeys(P, p, b, ['text', 'negativeText', 'style', 'conditionImage', 'controlMode', 'controlStrength']);
      parsed.text = str(P, p, 'text', b, { required: true, min: 1, max: 1024 }) || '';
      str(P, p, 'negativeText', b, { min: 1, max: 1024 });
      oneOf(P, p, 'style', b, NOVA_STYLES);
      if (p.conditionImage !== undefined) inputImage(P, p.conditionImage, `${b}.conditionImage`);
      oneOf(P, p, 'controlMode', b, ['CANNY_EDGE', 'SEGMENTATION']);
      num(P, p, 'controlStrength', b, { min: 0, max: 1 });
    }
  } else if (task === 'COLOR_GUIDED_GENERATION') {
    const b = 'colorGuidedGenerationParams';
    const p = obj(P, body, b, '', { required: true });
    if (p) {
      noExtraKeys(P, p, b, ['colors', 'text', 'negativeText', 'referenceImage']);
      const colors = arr(P, p, 'colors', b, { required: true, min: 1, max: 10 }) || [];
      colors.forEach((c, i) => { if (typeof c !== 'string' || !/^#[0-9A-Fa-f]{6}$/.test(c)) P.add(`${b}.colors.${i}`, `${JSON.stringify(c)} is not a #RRGGBB colour`); });
      parsed.text = str(P, p, 'text', b, { required: true, min: 1, max: 1024 }) || '';
      str(P, p, 'negativeText', b, { min: 1, max: 1024 });
      if (p.referenceImage !== undefined) inputImage(P, p.referenceImage, `${b}.referenceImage`);
    }
  } else if (task === 'IMAGE_VARIATION') {
    const b = 'imageVariationParams';
    const p = obj(P, body, b, '', { required: true });
    if (p) {
      noExtraKeys(P, p, b, ['images', 'similarityStrength', 'text', 'negativeText']);
      const images = arr(P, p, 'images', b, { required: true, min: 1, max: 5 }) || [];
      images.forEach((img, i) => inputImage(P, img, `${b}.images.${i}`));
      num(P, p, 'similarityStrength', b, { min: 0.2, max: 1.0 });
      parsed.text = str(P, p, 'text', b, { min: 1, max: 1024 }) || '';
      str(P, p, 'negativeText', b, { min: 1, max: 1024 });
    }
  }
  const g = obj(P, body, 'imageGenerationConfig', '');
  if (g) {
    const b = 'imageGenerationConfig';
    noExtraKeys(P, g, b, ['numberOfImages', 'width', 'height', 'quality', 'cfgScale', 'seed']);
    parsed.n = int(P, g, 'numberOfImages', b, { min: 1, max: 5 }) ?? 1;
    const w = int(P, g, 'width', b, { min: 320, max: 4096, divisibleBy: 16 });
    const h = int(P, g, 'height', b, { min: 320, max: 4096, divisibleBy: 16 });
    parsed.width = w ?? 1024; parsed.height = h ?? 1024;
    const ratio = Math.max(parsed.width / parsed.height, parsed.height / parsed.width);
    if (ratio > 4) P.add(b, `aspect ratio ${parsed.width}:${parsed.height} is outside 1:4 to 4:1`);
    if (parsed.width * parsed.height >= 4194304) P.add(b, `width x height = ${parsed.width * parsed.height} pixels; it must be below 4,194,304`);
    oneOf(P, g, 'quality', b, ['standard', 'premium']);
    num(P, g, 'cfgScale', b, { min: 1.1, max: 10 });
    parsed.seed = int(P, g, 'seed', b, { min: 0, max: 858993459 }) ?? 12;
  }
  return { problems: P.list, parsed };
}

// ~1 megapixel output sizes per aspect ratio, as Stability's models produce them.
export const STABILITY_SIZES = {
  '1:1': [1024, 1024], '16:9': [1344, 768], '9:16': [768, 1344], '21:9': [1536, 640], '9:21': [640, 1536],
  '2:3': [832, 1216], '3:2': [1216, 832], '4:5': [896, 1120], '5:4': [1120, 896],
};

// Unknown keys are accepted here: the Stability schema on Bedrock is not pinned down in
// providers.md (§3.7 marks several fields [verify]), so only the documented ones are checked.
export function validateStability(body) {
  const P = new Problems();
  const parsed = { width: 1024, height: 1024, seed: 0, prompt: '' };
  if (!mustBeObjectBody(P, body)) return { problems: P.list, parsed };
  parsed.prompt = str(P, body, 'prompt', '', { required: true, max: 10000 }) || '';
  str(P, body, 'negative_prompt', '', { max: 10000 });
  const ar = oneOf(P, body, 'aspect_ratio', '', Object.keys(STABILITY_SIZES)) || '1:1';
  [parsed.width, parsed.height] = STABILITY_SIZES[ar];
  parsed.seed = int(P, body, 'seed', '', { min: 0, max: 4294967294 }) ?? 0;
  oneOf(P, body, 'output_format', '', ['png', 'jpeg', 'webp']);
  const mode = oneOf(P, body, 'mode', '', ['text-to-image', 'image-to-image']);
  if (mode === 'image-to-image') {
    if (body.image === undefined) P.add('image', 'is required when mode is image-to-image');
    if (body.strength === undefined) P.add('strength', 'is required when mode is image-to-image');
  } else if (body.image !== undefined) {
    P.add('image', 'is only allowed with mode image-to-image');
  }
  if (body.image !== undefined) {
    const img = decodeImage(body.image, { formats: ['png', 'jpeg', 'webp'], maxBytes: 25 * MB });
    if (img.error) P.add('image', img.error);
    else if (img.size) { parsed.width = img.size.width; parsed.height = img.size.height; }
  }
  num(P, body, 'strength', '', { min: 0, max: 1 });
  return { problems: P.list, parsed };
}
