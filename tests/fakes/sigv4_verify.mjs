// Server-side SigV4 check for the Bedrock fake. The signature is recomputed with
// @smithy/signature-v4 (the signer the official AWS SDK for JavaScript uses) rather than
// with code of our own, so a bug in adloom's signer cannot be mirrored by a bug here.
//
// How the smithy signer is fed, so that it reproduces exactly what a real client signed:
// - path: the request path exactly as it arrived on the wire (already %-encoded once, e.g.
//   /model/amazon.nova-canvas-v1%3A0/invoke). With uriEscapePath=true (the non-S3 default)
//   smithy normalises it and encodes it again, giving the canonical URI
//   /model/amazon.nova-canvas-v1%253A0/invoke, as Bedrock expects (double encoding).
// - query: decoded name -> value(s); smithy re-encodes and sorts them.
// - headers: only those named in the client's SignedHeaders, values as received (repeated
//   headers joined with ","), and signableHeaders = that same set so smithy does not drop
//   any it would not sign by itself (user-agent, for instance).
// - applyChecksum=false, so smithy does not add an x-amz-content-sha256 header that the
//   client did not sign; when the client did sign one, we check it against the body here.
// - signingDate = the client's x-amz-date; the session token comes from our configuration,
//   so a client that sends another token produces a different signature.
import { SignatureV4, getCanonicalHeaders } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { timingSafeEqual } from 'node:crypto';
import { sha256hex } from './util.mjs';

const Sha256 = Hash.bind(null, 'sha256');
const MAX_SKEW_MS = 15 * 60 * 1000;

// Standard AWS messages for the failures a real endpoint reports.
export const MSG = {
  missing: 'Missing Authentication Token',
  mismatch: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
  badToken: 'The security token included in the request is invalid.',
};

function fail(errorType, message, reason, extra = {}) {
  return { ok: false, status: 403, errorType, message, signature: `invalid: ${reason}`, ...extra };
}

// Header values from rawHeaders: lowercase name -> values joined with "," in arrival
// order (SigV4 rule for repeated headers; node's req.headers would join with ", ").
function headerMap(rawHeaders) {
  const map = new Map();
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i].toLowerCase();
    map.set(name, map.has(name) ? `${map.get(name)},${rawHeaders[i + 1]}` : rawHeaders[i + 1]);
  }
  return map;
}

// Query string -> {name: value | [values]} with %-decoding only ('+' stays '+': SigV4
// encodes a space as %20, so '+' is a literal plus).
function parseQuery(qs) {
  const query = {};
  if (!qs) return query;
  for (const part of qs.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const k = decodeURIComponent(eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    if (k in query) query[k] = [].concat(query[k], v);
    else query[k] = v;
  }
  return query;
}

function parseAmzDate(s) {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s || '');
  if (!m) return null;
  return new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
}

function parseAuthorization(value) {
  const m = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(value);
  if (!m) return null;
  const parts = {};
  for (const item of m[1].split(',')) {
    const eq = item.indexOf('=');
    if (eq > 0) parts[item.slice(0, eq).trim()] = item.slice(eq + 1).trim();
  }
  if (!parts.Credential || !parts.SignedHeaders || !parts.Signature) return null;
  return parts;
}

/**
 * Verify a SigV4-signed request.
 * @param req {method, url (raw, with query), rawHeaders, body: Buffer}
 * @param cfg {accessKey, secretKey, sessionToken?, region, service}
 * @param now Date used for the clock-skew check (tests freeze it)
 * @returns {ok:true, signature:'valid'} or {ok:false, status, errorType, message, signature, canonicalRequest?}
 */
export async function verifySigV4(req, cfg, now = new Date()) {
  const headers = headerMap(req.rawHeaders);
  const authz = headers.get('authorization');
  const [path, qs = ''] = req.url.split(/\?(.*)/s);
  if (!authz) {
    if (/(^|&)X-Amz-Signature=/i.test(qs)) {
      return fail('MissingAuthenticationTokenException', MSG.missing, 'presigned (query-string) SigV4 is not supported by this fake');
    }
    return { ...fail('MissingAuthenticationTokenException', MSG.missing, 'no Authorization header'), signature: 'none' };
  }
  const parts = parseAuthorization(authz);
  if (!parts) {
    return fail('IncompleteSignatureException', `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters after 'AWS4-HMAC-SHA256 '. Authorization=${authz.slice(0, 40)}`, 'malformed Authorization header');
  }
  const [akid, scopeDate, scopeRegion, scopeService, terminator] = parts.Credential.split('/');
  if (akid !== cfg.accessKey) return fail('UnrecognizedClientException', MSG.badToken, `unknown access key ${akid}`);

  const amzDate = headers.get('x-amz-date');
  const signingDate = parseAmzDate(amzDate);
  if (!signingDate) {
    return fail('IncompleteSignatureException', "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.", 'missing or malformed x-amz-date');
  }
  if (Math.abs(now - signingDate) > MAX_SKEW_MS) {
    const fmt = (d) => d.toISOString().replace(/[-:]|\.\d{3}/g, '');
    return fail('InvalidSignatureException', `Signature expired: ${amzDate} is now earlier than ${fmt(new Date(now - MAX_SKEW_MS))} (${fmt(now)} - 15 min.)`, 'signature expired (x-amz-date more than 15 minutes from server time)');
  }
  if (scopeDate !== amzDate.slice(0, 8) || terminator !== 'aws4_request') {
    return fail('InvalidSignatureException', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`, 'credential scope date does not match x-amz-date');
  }
  if (scopeRegion !== cfg.region) {
    return fail('InvalidSignatureException', `Credential should be scoped to a valid region. (got '${scopeRegion}', expected '${cfg.region}')`, `credential scope region ${scopeRegion} != ${cfg.region}`);
  }
  if (scopeService !== cfg.service) {
    return fail('InvalidSignatureException', `Credential should be scoped to correct service: '${cfg.service}'.`, `credential scope service ${scopeService} != ${cfg.service}`);
  }

  const signedNames = parts.SignedHeaders.split(';');
  const signedSet = new Set(signedNames);
  for (const required of ['host', 'x-amz-date']) {
    if (!signedSet.has(required)) return fail('InvalidSignatureException', MSG.mismatch, `${required} is not in SignedHeaders`);
  }
  for (const name of headers.keys()) {
    if (name.startsWith('x-amz-') && !signedSet.has(name)) {
      return fail('InvalidSignatureException', MSG.mismatch, `header ${name} is sent but not in SignedHeaders`);
    }
  }
  for (const name of signedNames) {
    if (!headers.has(name)) return fail('InvalidSignatureException', MSG.mismatch, `SignedHeaders names ${name}, which the request does not carry`);
  }
  const sentToken = headers.get('x-amz-security-token');
  if (cfg.sessionToken && sentToken === undefined) {
    return fail('UnrecognizedClientException', MSG.badToken, 'session token configured but x-amz-security-token missing');
  }
  if (sentToken !== undefined && sentToken !== cfg.sessionToken) {
    return fail('UnrecognizedClientException', MSG.badToken, 'x-amz-security-token does not match the configured session token');
  }
  const bodyHash = sha256hex(req.body);
  const claimed = headers.get('x-amz-content-sha256');
  if (claimed !== undefined && claimed !== 'UNSIGNED-PAYLOAD' && claimed !== bodyHash) {
    return fail('InvalidSignatureException', MSG.mismatch, 'x-amz-content-sha256 does not match the SHA-256 of the body');
  }

  let query;
  try { query = parseQuery(qs); } catch { return fail('InvalidSignatureException', MSG.mismatch, 'query string is not valid %-encoding'); }
  const signedHeaders = {};
  for (const name of signedNames) signedHeaders[name] = headers.get(name);
  const request = {
    method: req.method, protocol: 'http:', hostname: 'fake', path, query,
    headers: signedHeaders, body: req.body.length ? req.body : undefined,
  };
  const signer = new SignatureV4({
    credentials: { accessKeyId: cfg.accessKey, secretAccessKey: cfg.secretKey, sessionToken: cfg.sessionToken || undefined },
    region: cfg.region, service: cfg.service, sha256: Sha256, uriEscapePath: true, applyChecksum: false,
  });
  const signed = await signer.sign(request, { signingDate, signableHeaders: signedSet });
  const expected = parseAuthorization(signed.headers.authorization);
  const a = Buffer.from(expected.Signature);
  const b = Buffer.from(parts.Signature);
  if (expected.SignedHeaders === parts.SignedHeaders && a.length === b.length && timingSafeEqual(a, b)) {
    return { ok: true, signature: 'valid' };
  }
  // Show the canonical request we signed, so a developer can diff it against theirs.
  const canonicalRequest = signer.createCanonicalRequest(request,
    getCanonicalHeaders(request, undefined, signedSet), claimed && claimed !== bodyHash ? claimed : bodyHash);
  return fail('InvalidSignatureException', MSG.mismatch,
    expected.SignedHeaders !== parts.SignedHeaders ? `SignedHeaders differ (expected ${expected.SignedHeaders})` : 'signature mismatch',
    { canonicalRequest });
}
