// Building blocks for the hand-written request validators. Each validator collects
// problems as readable strings ("imageGenerationConfig.width: 1080 is not divisible by
// 16") instead of stopping at the first, so a 400 reply names everything that is wrong.
import { isPlainObject } from '../util.mjs';

export class Problems {
  constructor() { this.list = []; }
  add(path, msg) { this.list.push(path ? `${path}: ${msg}` : msg); }
  get ok() { return this.list.length === 0; }
}

const join = (base, key) => (base ? `${base}.${key}` : String(key));

export function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

const show = (v) => (typeof v === 'string' ? JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v) : JSON.stringify(v));

// Reject keys the schema does not know: real model schemas (Nova, Titan) answer
// "extraneous key [x] is not permitted", which catches misspelt field names early.
export function noExtraKeys(P, obj, base, allowed) {
  if (!isPlainObject(obj)) return;
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) P.add(base, `extraneous key [${k}] is not permitted (allowed: ${allowed.join(', ')})`);
  }
}

export function obj(P, parent, key, base, { required = false } = {}) {
  const v = parent?.[key];
  const path = join(base, key);
  if (v === undefined) { if (required) P.add(path, 'is required'); return undefined; }
  if (!isPlainObject(v)) { P.add(path, `must be an object, got ${typeOf(v)}`); return undefined; }
  return v;
}

export function str(P, parent, key, base, { required = false, min = 0, max = Infinity, nonBlank = false } = {}) {
  const v = parent?.[key];
  const path = join(base, key);
  if (v === undefined) { if (required) P.add(path, 'is required'); return undefined; }
  if (typeof v !== 'string') { P.add(path, `must be a string, got ${typeOf(v)}`); return undefined; }
  if (v.length < min) P.add(path, `must have at least ${min} character${min === 1 ? '' : 's'} (got ${v.length})`);
  if (v.length > max) P.add(path, `must have at most ${max} characters (got ${v.length})`);
  if (nonBlank && v.length >= min && v.trim() === '') P.add(path, 'is blank');
  return v;
}

export function int(P, parent, key, base, { required = false, min = -Infinity, max = Infinity, divisibleBy } = {}) {
  const v = parent?.[key];
  const path = join(base, key);
  if (v === undefined) { if (required) P.add(path, 'is required'); return undefined; }
  if (typeof v !== 'number' || !Number.isInteger(v)) { P.add(path, `must be an integer, got ${show(v)}`); return undefined; }
  if (v < min || v > max) P.add(path, `${v} is out of range [${min}, ${max}]`);
  if (divisibleBy && v % divisibleBy !== 0) P.add(path, `${v} is not divisible by ${divisibleBy}`);
  return v;
}

export function num(P, parent, key, base, { required = false, min = -Infinity, max = Infinity } = {}) {
  const v = parent?.[key];
  const path = join(base, key);
  if (v === undefined) { if (required) P.add(path, 'is required'); return undefined; }
  if (typeof v !== 'number' || !Number.isFinite(v)) { P.add(path, `must be a number, got ${show(v)}`); return undefined; }
  if (v < min || v > max) P.add(path, `${v} is out of range [${min}, ${max}]`);
  return v;
}

export function bool(P, parent, key, base, { required = false } = {}) {
  const v = parent?.[key];
  const path = join(base, key);
  if (v === undefined) { if (required) P.add(path, 'is required'); return undefined; }
  if (typeof v !== 'boolean') { P.add(path, `must be a boolean, got ${show(v)}`); return undefined; }
  return v;
}

export function oneOf(P, parent, key, base, values, { required = false } = {}) {
  const v = parent?.[key];
  const path = join(base, key);
  if (v === undefined) { if (required) P.add(path, 'is required'); return undefined; }
  if (!values.includes(v)) { P.add(path, `${show(v)} is not one of ${values.join(', ')}`); return undefined; }
  return v;
}

export function arr(P, parent, key, base, { required = false, min = 0, max = Infinity } = {}) {
  const v = parent?.[key];
  const path = join(base, key);
  if (v === undefined) { if (required) P.add(path, 'is required'); return undefined; }
  if (!Array.isArray(v)) { P.add(path, `must be an array, got ${typeOf(v)}`); return undefined; }
  if (v.length < min) P.add(path, `must have at least ${min} item${min === 1 ? '' : 's'} (got ${v.length})`);
  if (v.length > max) P.add(path, `must have at most ${max} items (got ${v.length})`);
  return v;
}

export { join as joinPath };
