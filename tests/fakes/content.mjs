// What the fake chat models "say". Shared by the Bedrock Converse and OpenAI chat fakes so
// both answer the same request the same way. Replies are deterministic (hash-seeded) and
// shaped like what adloom asks real models for:
//  - an image in the last user turn -> a JSON image description (analysis);
//  - a request for a JSON meta-prompt (mentions "prompt" and "variants") -> a JSON
//    creative brief inside a ```json fence after one sentence of prose, as real LLMs
//    often answer (so the client's JSON extraction is exercised);
//  - anything else -> a short plain-text summary.
import { createHash } from 'node:crypto';
import { hash32, prng } from './util.mjs';

const SUBJECTS = ['a ceramic mug', 'a pair of running shoes', 'a leather handbag', 'a steel wristwatch', 'a glass perfume bottle',
  'a smartphone', 'a bowl of fresh salad', 'a city bicycle', 'a wooden chair', 'a cup of coffee', 'a laptop', 'a sunflower',
  'a golden retriever', 'a jar of honey', 'a canvas backpack', 'a pair of headphones', 'a scented candle', 'a skincare tube'];
const SETTINGS = ['on a marble countertop', 'in a sunlit kitchen', 'on a city street at dusk', 'in a minimalist studio',
  'on a sandy beach', 'in a forest clearing', 'on a rustic wooden table', 'in a modern office', 'on a rooftop terrace',
  'in a cozy living room'];
const STYLES = ['product photography', 'flat lay', 'lifestyle photograph', 'studio shot', 'editorial photograph', 'macro photograph',
  'flat vector illustration', '3D render'];
const MOODS = ['calm', 'energetic', 'luxurious', 'playful', 'cozy', 'fresh', 'bold', 'nostalgic'];
const LIGHTING = ['soft window light', 'golden hour sunlight', 'crisp studio softbox lighting', 'dramatic rim light', 'overcast diffuse light', 'neon accent lighting'];
const PALETTES = ['warm earth tones', 'pastel', 'monochrome blue', 'vibrant complementary', 'muted neutral', 'black and gold'];
const COMPOSITIONS = ['centered hero shot', 'rule-of-thirds framing', 'low-angle close-up', 'top-down overhead view', 'wide shot with negative space', 'diagonal dynamic layout'];
const TEXTS = ['', '', '', 'SALE', 'NEW', '50% OFF', 'Limited edition'];
const TAGS = ['product', 'indoor', 'outdoor', 'minimal', 'colorful', 'texture', 'close-up', 'lifestyle', 'food', 'fashion',
  'tech', 'nature', 'urban', 'home', 'portrait', 'advertising'];
const STOP = new Set(['the', 'and', 'for', 'with', 'that', 'this', 'from', 'into', 'your', 'you', 'are', 'write', 'create',
  'generate', 'make', 'json', 'prompt', 'prompts', 'variants', 'variant', 'return', 'only', 'image', 'images', 'please', 'about',
  'object', 'keys', 'negative_prompt', 'reasoning', 'structure', 'product', 'should', 'must', 'each', 'five', 'give']);

const pickFrom = (rand, list) => list[Math.floor(rand() * list.length)];
const capitalise = (s) => s.charAt(0).toUpperCase() + s.slice(1);

// Rough token estimate used for usage counters: ~4 characters per token.
export const tokensFor = (chars) => Math.ceil(chars / 4);
export const IMAGE_TOKENS = 1300; // about what Nova charges for a ~900x900 image (§5)

export function describeImage(imageBuffers) {
  const h = createHash('sha256');
  for (const b of imageBuffers) h.update(b);
  const rand = prng(h.digest().readUInt32BE(0));
  const subjects = [];
  const count = 1 + Math.floor(rand() * 3);
  while (subjects.length < count) {
    const s = pickFrom(rand, SUBJECTS);
    if (!subjects.includes(s)) subjects.push(s);
  }
  const setting = pickFrom(rand, SETTINGS);
  const style = pickFrom(rand, STYLES);
  const mood = pickFrom(rand, MOODS);
  const tags = [];
  while (tags.length < 5) { const t = pickFrom(rand, TAGS); if (!tags.includes(t)) tags.push(t); }
  return {
    description: `${capitalise(subjects.join(' and '))} ${setting}, shown as a ${style} with a ${mood} mood.`,
    subjects: subjects.map((s) => s.replace(/^(a|an) (pair of |cup of |bowl of |jar of )?/, '')),
    setting: setting.replace(/^(on|in) /, ''),
    style,
    mood,
    text: pickFrom(rand, TEXTS),
    tags,
  };
}

// The product the brief talks about: "product: red running shoes", "Product name is X",
// "\"product\": \"X\"", or else the first few meaningful words of the request.
export function productPhrase(text) {
  const explicit = /\bproduct(?:[ _]name)?["']?\s*(?:is\s+|[:=]\s*|-\s+)["“']?([^"”'\n.;,{}()[\]]{2,120})/i.exec(text)
    || /\bproduct\s+([a-z0-9][^"”'\n.;,{}()[\]]{1,120})/i.exec(text);
  if (explicit) {
    const words = explicit[1].trim().split(/\s+/).slice(0, 6).join(' ');
    if (words) return words;
  }
  const words = (text.toLowerCase().match(/[a-z][a-z0-9-]{2,}/g) || []).filter((w) => !STOP.has(w));
  return words.slice(0, 5).join(' ');
}

const clip = (s, n) => (s.length <= n ? s : s.slice(0, n - 1).trimEnd());

export function metaPrompt(text) {
  const rand = prng(hash32(text));
  const subject = clip(productPhrase(text) || 'the product', 100);
  const s = {
    subject,
    setting: pickFrom(rand, SETTINGS),
    composition: pickFrom(rand, COMPOSITIONS),
    lighting: pickFrom(rand, LIGHTING),
    palette: pickFrom(rand, PALETTES),
    style: pickFrom(rand, STYLES),
    mood: pickFrom(rand, MOODS),
    format: (/\b(1:1|4:5|5:4|16:9|9:16|3:2|2:3|21:9|9:21)\b/.exec(text) || [null, '1:1'])[1],
  };
  const build = (x) => clip(`${capitalise(x.style)} of ${x.subject} ${x.setting}, ${x.composition}, ${x.lighting}, ` +
    `${x.palette} palette, ${x.mood} mood, sharp focus, high detail, ${x.format} aspect ratio`, 899);
  const alternatives = { setting: SETTINGS, lighting: LIGHTING, palette: PALETTES, composition: COMPOSITIONS, style: STYLES };
  const variants = Object.entries(alternatives).map(([axis, list]) => {
    const others = list.filter((v) => v !== s[axis]);
    const alt = pickFrom(rand, others);
    return { name: `${axis}: ${alt}`, axis, prompt: build({ ...s, [axis]: alt }) };
  });
  return {
    prompt: build(s),
    negative_prompt: 'blurry, low quality, distorted text, watermark, extra fingers, oversaturated, cropped product',
    reasoning: `Puts ${subject} at the centre of a ${s.mood} scene ${s.setting} so the product reads at a glance; ` +
      `${s.lighting} and a ${s.palette} palette keep it on brand.`,
    structure: s,
    variants,
  };
}

export const wantsMetaPrompt = (text) => /\bprompt\b/i.test(text) && /\bvariants\b/i.test(text);

/**
 * The assistant text for a chat turn.
 * @param {{userText: string, systemText: string, images: Buffer[], jsonMode?: boolean}} turn
 *   jsonMode: the client asked for JSON output (OpenAI response_format), so no fence/prose.
 */
export function chatReply({ userText, systemText = '', images = [], jsonMode = false }) {
  if (images.length) return JSON.stringify(describeImage(images));
  const all = `${systemText}\n${userText}`;
  if (wantsMetaPrompt(all)) {
    const json = JSON.stringify(metaPrompt(userText || all), null, 2);
    return jsonMode ? json : `Here is a creative brief for the image, as JSON.\n\n\`\`\`json\n${json}\n\`\`\``;
  }
  const words = userText.trim().split(/\s+/).filter(Boolean);
  const summary = words.slice(0, 30).join(' ');
  return jsonMode
    ? JSON.stringify({ summary, words: words.length })
    : `Summary of your request (${words.length} words): ${summary}${words.length > 30 ? ' ...' : ''}`;
}

// Cut a reply to maxTokens (as a real model stops at its token budget). Returns
// {text, truncated}.
export function limitTokens(text, maxTokens) {
  if (!maxTokens || tokensFor(text.length) <= maxTokens) return { text, truncated: false };
  return { text: text.slice(0, maxTokens * 4), truncated: true };
}
