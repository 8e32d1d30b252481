// Deterministic, L2-normalised embedding vectors, good enough for tests of search code:
//  - text: a hashed bag of lowercase words. Each word adds +-1 to three dimensions chosen
//    by its hash, so texts sharing words have a high cosine similarity and unrelated
//    texts are near-orthogonal; the same text always gives the same vector.
//  - image: pseudo-random values seeded by a hash of the base64 string, so the same
//    image gives the same vector and different images give unrelated ones.
import { createHash } from 'node:crypto';
import { prng } from './util.mjs';

function normalise(v) {
  let sum = 0;
  for (const x of v) sum += x * x;
  const n = Math.sqrt(sum) || 1;
  return v.map((x) => x / n);
}

export function textVector(text, dim) {
  const v = new Array(dim).fill(0);
  const words = String(text).toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  if (words.length === 0) return imageVector(`text:${text}`, dim); // punctuation-only text
  for (const w of words) {
    const h = createHash('sha256').update(w).digest();
    for (let k = 0; k < 3; k++) {
      const idx = h.readUInt32BE(k * 4) % dim;
      v[idx] += (h[12 + k] & 1) ? 1 : -1;
    }
  }
  // A word whose three picks cancel out another's can leave the vector all zeros (very
  // rarely); fall back to the hash vector so the result is always unit length.
  return v.every((x) => x === 0) ? imageVector(`text:${text}`, dim) : normalise(v);
}

export function imageVector(base64, dim) {
  const rand = prng(createHash('sha256').update(String(base64)).digest().readUInt32BE(0));
  return normalise(Array.from({ length: dim }, () => rand() * 2 - 1));
}

// Titan MM with both text and image returns the average of the two (providers.md §4.1).
export function averageVectors(a, b) {
  return normalise(a.map((x, i) => (x + b[i]) / 2));
}

export const cosine = (a, b) => a.reduce((s, x, i) => s + x * b[i], 0);
