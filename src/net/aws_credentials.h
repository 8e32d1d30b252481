// Where AWS keys and the region come from, in the order the AWS CLI and SDKs use, so a
// machine already set up for `aws` works unchanged.
//
// Credentials (resolve_aws_credentials), the first source that has any key wins:
//   1. Explicit values from the configuration (AwsCredentialOptions::access_key_id,
//      secret_access_key, session_token; e.g. providers.bedrock.access_key_id).
//   2. The environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN.
//   3. The shared files, for the profile named by AwsCredentialOptions::profile, else
//      AWS_PROFILE, else "default":
//        a. the credentials file: AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials,
//           sections named `[name]`;
//        b. the config file: AWS_CONFIG_FILE, default ~/.aws/config, sections named
//           `[profile name]` (and `[default]`).
//      The credentials file wins over the config file for the same profile. Keys:
//      aws_access_key_id, aws_secret_access_key, aws_session_token.
// A source that has one key but not the other is an error, not a reason to fall through:
// half-configured keys are a mistake to report, not to paper over with another identity.
// Not supported (the message says so when a profile uses them): SSO, assume-role
// (role_arn), credential_process, web identity, and the EC2/ECS metadata endpoints;
// `aws configure export-credentials --format env` turns those into environment keys.
//
// Region (resolve_aws_region): the configured region, else AWS_REGION, else
// AWS_DEFAULT_REGION, else `region` in the profile's section of the config file.
//
// Files are INI: `#` and `;` comments (whole lines, or after whitespace at the end of a
// line), whitespace around names and values ignored, key names case-insensitive, profile
// names case-sensitive, indented sub-properties (`s3 =` followed by indented lines)
// skipped. "~/" in AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE is HOME.
//
// Every function reads the environment only through its `env` argument and the shared
// files afresh on each call; none keeps state, all are safe to call from any thread.
// Messages name the places looked at, never a key, secret or token.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "core/status.h"
#include "net/sigv4.h"

namespace adloom {

// Environment variables by name: environment_map() (core/config.h) in the server, a map
// of their own in tests.
using AwsEnv = std::map<std::string, std::string>;

struct AwsCredentialOptions {
  // Every member has an initialiser, so designated initialisers may leave any out.
  // Explicit keys (source 1). Setting one of the two without the other is an error.
  std::string access_key_id{};
  std::string secret_access_key{};
  std::string session_token{};  // optional: temporary (STS) keys
  std::string profile{};        // empty: AWS_PROFILE, else "default"
  std::string region{};         // empty: see resolve_aws_region
  std::string bearer_token{};   // a Bedrock API key; empty: AWS_BEARER_TOKEN_BEDROCK
  // The settings these fields come from, for messages ("set providers.bedrock.region").
  std::string settings_prefix = "providers.bedrock";
};

// The first credentials found in the order above, with AwsCredentials::source saying
// where ("environment", "profile 'dev' in /home/me/.aws/credentials"). kFailedPrecondition
// when there are none (the message lists every place looked at and how to set each), when
// a source has an access key without a secret or the reverse, or when a shared file
// exists but cannot be read.
Result<AwsCredentials> resolve_aws_credentials(const AwsCredentialOptions& options,
                                               const AwsEnv& env);

// The region, in the order above. kFailedPrecondition, saying how to set it, when none is
// found or the config file exists but cannot be read.
Result<std::string> resolve_aws_region(const AwsCredentialOptions& options, const AwsEnv& env);

// A Bedrock API key: options.bearer_token, else AWS_BEARER_TOKEN_BEDROCK; nullopt when
// neither is set. When present, the Bedrock client sends `Authorization: Bearer <token>`
// instead of a SigV4 signature (and needs no other credentials).
std::optional<std::string> bedrock_bearer_token(const AwsCredentialOptions& options,
                                                const AwsEnv& env);

}  // namespace adloom
