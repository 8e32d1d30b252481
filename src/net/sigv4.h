// AWS Signature Version 4, header-based (Authorization header), for Bedrock, S3 (and
// MinIO / Ceph RGW) and OpenSearch (es, aoss). The rules are those of the aws-c-auth signer
// and of its test suite (awslabs/aws-c-auth tests/aws-signing-test-suite/v4, which
// tests/unit/sigv4_test.cpp runs in full).
//
// Everything here is a pure function of its arguments (the clock aside, when
// SigV4Params::amz_date is empty) and is safe to call from any thread. The signing key is
// derived afresh for every signature (four HMACs, a few microseconds): no cache keeps
// secrets in memory between calls.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "net/http_client.h"

namespace adloom {

struct AwsCredentials {
  std::string access_key_id{};
  std::string secret_access_key{};
  std::string session_token{};  // empty: long-term keys, no X-Amz-Security-Token
  // Where the keys were found, for messages only ("environment",
  // "profile 'default' in /home/me/.aws/credentials"); never the keys themselves.
  std::string source{};
};

struct SigV4Params {
  // Every member has an initialiser, so designated initialisers may leave any out.
  std::string region{};    // "us-east-1"; the signing region (for Ceph RGW: the zonegroup)
  std::string service{};   // "bedrock" | "s3" | "aoss" | "es"
  std::string amz_date{};  // "20150830T123600Z" (UTC); empty: now
  // Canonical URI rules. false (every service but S3): the wire path, already %-encoded
  // once, is normalised (`.` and `..` resolved, `//` collapsed) and encoded again, so `%3A`
  // is signed as `%253A`. true (S3, MinIO, Ceph): the wire path is signed as sent, without
  // normalisation: `cat%20%281%29.png` stays as is. Only what is not in canonical form is
  // changed: bytes that are neither unreserved, `/` nor part of a `%XY` escape are encoded
  // (a raw space becomes `%20`), escapes get upper-case hex and unreserved ones are decoded
  // (`%2f` -> `%2F`, `%41` -> `A`).
  bool s3_uri_rules = false;
  // Add and sign `x-amz-content-sha256` (required by S3 and OpenSearch Serverless).
  bool sign_body_header = false;
  // S3 only: sign the literal "UNSIGNED-PAYLOAD" instead of the body hash (implies the
  // x-amz-content-sha256 header).
  bool unsigned_payload = false;
  // Add X-Amz-Security-Token after signing, outside the signed headers (suite case
  // post-sts-header-after). Bedrock, S3 and AOSS want it signed: leave false.
  bool omit_session_token = false;
};

// The payload hash that goes last in the canonical request and in x-amz-content-sha256:
// "UNSIGNED-PAYLOAD" when params.unsigned_payload, else the lower-case hex SHA-256 of body.
std::string sigv4_payload_hash(std::string_view body, const SigV4Params& params);

// The canonical request of `request` exactly as it stands: nothing is added to it, so the
// host and x-amz-* headers must already be there (sigv4_sign adds them). Every header is
// signed except user-agent, x-amzn-trace-id, connection, expect, transfer-encoding,
// upgrade, sec-websocket-* and authorization; when `only_headers` is not empty (a
// verifier passes the SignedHeaders list it received, "host;x-amz-date"), exactly the
// headers it names are signed. Query names and values are %-decoded then encoded again
// (`+` is a literal plus, not a space). `signed_headers`, when not null, receives the
// SignedHeaders list. kInvalidArgument on a URL that is not absolute http(s).
Result<std::string> sigv4_canonical_request(const OutboundRequest& request,
                                            const SigV4Params& params,
                                            std::string* signed_headers = nullptr,
                                            std::string_view only_headers = {});

// "20150830/us-east-1/service/aws4_request" (the date is amz_date's first 8 characters).
std::string sigv4_scope(std::string_view amz_date, std::string_view region,
                        std::string_view service);

// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256(canonical_request)>"
std::string sigv4_string_to_sign(std::string_view amz_date, std::string_view scope,
                                 std::string_view canonical_request);

// Lower-case hex HMAC-SHA256 of string_to_sign under the signing key derived from the
// secret, amz_date's day, region and service.
std::string sigv4_signature(std::string_view secret_access_key, std::string_view amz_date,
                            std::string_view region, std::string_view service,
                            std::string_view string_to_sign);

// Signs `request` in place. Adds Host (from the URL, with its port unless it is the
// scheme's default; an existing Host header is kept), X-Amz-Date, X-Amz-Security-Token
// (when creds has a session token), X-Amz-Content-Sha256 (when params ask for it) and
// Authorization. Headers of those names (Host excepted) left by an earlier signature are
// replaced, so a request may be signed again before each try. kInvalidArgument, with the
// request untouched, on a malformed URL or amz_date, empty region or service, or empty
// access key or secret. Messages never contain key material.
Status sigv4_sign(OutboundRequest& request, const AwsCredentials& creds, const SigV4Params& params);

}  // namespace adloom
