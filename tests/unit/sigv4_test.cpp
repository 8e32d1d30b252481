// SigV4 against the official aws-c-auth suite (tests/aws-signing-test-suite/v4, commit
// 495329c, all 38 cases, header signing) and the derived vectors of providers.md §1.7.
#include "net/sigv4.h"

#include <algorithm>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/text.h"

namespace adloom {
namespace {

constexpr char kAkid[] = "AKIDEXAMPLE";
constexpr char kSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kDate[] = "20150830T123600Z";
constexpr char kEmptyHash[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kStsToken[] =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfI"
    "eoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0"
    "wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDry"
    "pNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA==";

// One case folder: request.txt (request line, headers but Host: every case sends
// "example.amazonaws.com"), context.json's flags (credentials, region "us-east-1", service
// "service" and timestamp are the same in all), header-signature.txt, -canonical-request.txt.
struct SuiteCase {
  std::string name;
  std::string request_line;  // "GET /path?query"
  std::vector<HttpHeader> headers;
  std::string body;
  bool normalize;  // false maps to s3_uri_rules (no normalisation)
  bool sign_body;  // a signed x-amz-content-sha256
  std::string token;
  bool omit_session_token;
  std::string signature;
  std::string canonical_request;
};

// clang-format off
const std::vector<SuiteCase>& suite_cases() {
  static const std::vector<SuiteCase> kCases = {
    {"get-header-key-duplicate", "GET /", {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}}, "", true, false, "", false, "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea",
     "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value2,value2,value1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-header-value-multiline", "GET /", {{"My-Header1", "value1\n  value2\n     value3"}}, "", true, false, "", false, "cfd34249e4b1c8d6b91ef74165d41a32e5fab3306300901bb65a51a73575eefd",
     "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1 value2 value3\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-header-value-order", "GET /", {{"My-Header1", "value4"}, {"My-Header1", "value1"}, {"My-Header1", "value3"}, {"My-Header1", "value2"}}, "", true, false, "", false, "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01",
     "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value4,value1,value3,value2\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-header-value-trim", "GET /", {{"My-Header1", " value1"}, {"My-Header2", " \"a   b   c\""}}, "", true, false, "", false, "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736",
     "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\nx-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-relative-normalized", "GET /example/..", {}, "", true, false, "", false, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
     "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-relative-relative-normalized", "GET /example1/example2/../..", {}, "", true, false, "", false, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
     "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-relative-relative-unnormalized", "GET /example1/example2/../..", {}, "", false, false, "", false, "dc33e0856fd4baca4d7aa2146c38958283844764f38c74252a333df5e613003b",
     "GET\n/example1/example2/../..\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-relative-unnormalized", "GET /example/..", {}, "", false, false, "", false, "eca7ead57bb5aa5c8e28007acd4ff04e1ff9a0ff3b237ec1554a184887ff9282",
     "GET\n/example/..\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-slash-dot-slash-normalized", "GET /./", {}, "", true, false, "", false, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
     "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-slash-dot-slash-unnormalized", "GET /./", {}, "", false, false, "", false, "68714168e6557f8f2de0ef956fc24dc2593a4bd2961f8df51898d8a134695145",
     "GET\n/./\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-slash-normalized", "GET //", {}, "", true, false, "", false, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
     "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-slash-pointless-dot-normalized", "GET /./example", {}, "", true, false, "", false, "ef75d96142cf21edca26f06005da7988e4f8dc83a165a80865db7089db637ec5",
     "GET\n/example\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-slash-pointless-dot-unnormalized", "GET /./example", {}, "", false, false, "", false, "beb03f223f7deae4146464f06e29eebbee9c8afbe15c290cf07aa8b119e14cff",
     "GET\n/./example\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-slash-unnormalized", "GET //", {}, "", false, false, "", false, "c88bcd3d312d75078c0cd961d6deae3f4c754924b01669efcfcb439fd5e5b76e",
     "GET\n//\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-slashes-normalized", "GET //example//", {}, "", true, false, "", false, "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84",
     "GET\n/example/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-slashes-unnormalized", "GET //example//", {}, "", false, false, "", false, "87cca117541a147f6df867677d98a7d80dff226d2bfca9e4ffa899665623c7e5",
     "GET\n//example//\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-space-normalized", "GET /example space/", {}, "", true, false, "", false, "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741",
     "GET\n/example%20space/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-space-unnormalized", "GET /example space/", {}, "", false, false, "", false, "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741",
     "GET\n/example%20space/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-unreserved", "GET /-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", {}, "", true, false, "", false, "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f",
     "GET\n/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-utf8", "GET /\xE1\x88\xB4", {}, "", true, false, "", false, "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85",
     "GET\n/%E1%88%B4\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-vanilla", "GET /", {}, "", true, false, "", false, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
     "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-vanilla-empty-query-key", "GET /?Param1=value1", {}, "", true, false, "", false, "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb",
     "GET\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-vanilla-query", "GET /", {}, "", true, false, "", false, "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
     "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-vanilla-query-order-encoded", "GET /?Param-3=Value3&Param=Value2&%E1%88%B4=Value1", {}, "", true, false, "", false, "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac",
     "GET\n/\n%E1%88%B4=Value1&Param=Value2&Param-3=Value3\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-vanilla-query-order-key-case", "GET /?Param2=value2&Param1=value1", {}, "", true, false, "", false, "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
     "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-vanilla-query-unreserved", "GET /?-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", {}, "", true, false, "", false, "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197",
     "GET\n/\n-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz=-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-vanilla-utf8-query", "GET /?\xE1\x88\xB4=bar", {}, "", true, false, "", false, "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04",
     "GET\n/\n%E1%88%B4=bar\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"get-vanilla-with-session-token", "GET /", {}, "", true, false, "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267", false, "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8",
     "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\n\nhost;x-amz-date;x-amz-security-token\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"post-header-key-case", "POST /", {}, "", true, false, "", false, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
     "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"post-header-key-sort", "POST /", {{"My-Header1", "value1"}}, "", true, false, "", false, "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c",
     "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"post-header-value-case", "POST /", {{"My-Header1", "VALUE1"}}, "", true, false, "", false, "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d",
     "POST\n/\n\nhost:example.amazonaws.com\nmy-header1:VALUE1\nx-amz-date:20150830T123600Z\n\nhost;my-header1;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"post-sts-header-after", "POST /", {}, "", true, false, kStsToken, true, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
     "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"post-sts-header-before", "POST /", {}, "", true, false, kStsToken, false, "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead",
     "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\nx-amz-security-token:" + std::string(kStsToken) + "\n\nhost;x-amz-date;x-amz-security-token\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"post-vanilla", "POST /", {}, "", true, false, "", false, "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
     "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"post-vanilla-empty-query-value", "POST /?Param1=value1", {}, "", true, false, "", false, "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
     "POST\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"post-vanilla-query", "POST /?Param1=value1", {}, "", true, false, "", false, "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11",
     "POST\n/\nParam1=value1\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"post-x-www-form-urlencoded", "POST /", {{"Content-Type", "application/x-www-form-urlencoded"}, {"Content-Length", "13"}}, "Param1=value1", true, true, "", false, "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b",
     "POST\n/\n\ncontent-length:13\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\nx-amz-date:20150830T123600Z\n\ncontent-length;content-type;host;x-amz-content-sha256;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"},
    {"post-x-www-form-urlencoded-parameters", "POST /", {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}, {"Content-Length", "13"}}, "Param1=value1", true, true, "", false, "328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422",
     "POST\n/\n\ncontent-length:13\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:example.amazonaws.com\nx-amz-content-sha256:9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e\nx-amz-date:20150830T123600Z\n\ncontent-length;content-type;host;x-amz-content-sha256;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e"},
  };
  return kCases;
}
// clang-format on

// The value of the one header of that name (lower case), "" when absent.
std::string header_value(const OutboundRequest& request, std::string_view name) {
  std::vector<std::string> values;
  for (const HttpHeader& h : request.headers) {
    if (lower_ascii(h.name) == name) values.push_back(h.value);
  }
  EXPECT_LE(values.size(), 1u) << name;
  return values.empty() ? "" : values.back();
}

std::string signed_headers_of(const OutboundRequest& request) {
  std::smatch m;
  const std::string authorization = header_value(request, "authorization");
  return std::regex_search(authorization, m, std::regex("SignedHeaders=([^,]*),")) ? m.str(1) : "";
}

std::string signature_of(const OutboundRequest& request) {
  const std::string authorization = header_value(request, "authorization");
  return authorization.substr(authorization.rfind('=') + 1);
}

AwsCredentials example_creds(std::string token = "") {
  return {kAkid, kSecret, std::move(token), "test"};
}

OutboundRequest make_request(std::string method, std::string url,
                             std::vector<HttpHeader> headers = {}, std::string body = "") {
  return {std::move(method), std::move(url), std::move(headers), std::move(body)};
}

SigV4Params params_for(std::string service, bool s3 = false) {
  return {.region = "us-east-1",
          .service = std::move(service),
          .amz_date = kDate,
          .s3_uri_rules = s3,
          .sign_body_header = s3};
}

class SigV4SuiteTest : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(SigV4SuiteTest, MatchesCanonicalRequestAndSignature) {
  const SuiteCase& c = GetParam();
  SigV4Params params = params_for("service");
  params.s3_uri_rules = !c.normalize;
  params.sign_body_header = c.sign_body;
  params.omit_session_token = c.omit_session_token;
  const std::size_t space = c.request_line.find(' ');
  const std::string& creq = c.canonical_request;
  const std::size_t list_start = creq.rfind("\n\n") + 2;
  const std::string expected_signed_headers =
      creq.substr(list_start, creq.rfind('\n') - list_start);
  // With the Host header given, as in request.txt, and derived from the URL.
  for (bool give_host : {true, false}) {
    SCOPED_TRACE(give_host ? "Host given" : "Host from the URL");
    OutboundRequest request = make_request(
        c.request_line.substr(0, space),
        "https://example.amazonaws.com" + c.request_line.substr(space + 1), {}, c.body);
    if (give_host) request.headers.push_back({"Host", "example.amazonaws.com"});
    request.headers.insert(request.headers.end(), c.headers.begin(), c.headers.end());

    ASSERT_TRUE(sigv4_sign(request, example_creds(c.token), params).is_ok());
    EXPECT_EQ(header_value(request, "authorization"),
              "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
              "SignedHeaders=" +
                  expected_signed_headers + ", Signature=" + c.signature);
    EXPECT_EQ(header_value(request, "host"), "example.amazonaws.com");
    EXPECT_EQ(header_value(request, "x-amz-date"), kDate);
    EXPECT_EQ(header_value(request, "x-amz-security-token"), c.token);

    // The verifier's view: the signed request and the SignedHeaders it carries.
    auto canonical = sigv4_canonical_request(request, params, nullptr, expected_signed_headers);
    ASSERT_TRUE(canonical.is_ok());
    EXPECT_EQ(*canonical, creq);
  }
  const std::string sts =
      sigv4_string_to_sign(kDate, sigv4_scope(kDate, "us-east-1", "service"), creq);
  EXPECT_EQ(sigv4_signature(kSecret, kDate, "us-east-1", "service", sts), c.signature);
}

INSTANTIATE_TEST_SUITE_P(AwsCAuthV4, SigV4SuiteTest, ::testing::ValuesIn(suite_cases()),
                         [](const ::testing::TestParamInfo<SuiteCase>& info) {
                           std::string name = info.param.name;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST(SigV4Test, SuiteHasAllThirtyEightCases) {
  EXPECT_EQ(suite_cases().size(), 38u);
}

// Derived vector 1: Bedrock InvokeModel, a `:` in the model id, double encoding.
TEST(SigV4Test, DerivedBedrockInvokeModel) {
  OutboundRequest request = make_request(
      "POST",
      "https://bedrock-runtime.us-east-1.amazonaws.com/model/amazon.nova-canvas-v1%3A0/invoke",
      {{"Content-Type", "application/json"}, {"Accept", "application/json"}},
      R"({"taskType":"TEXT_IMAGE","textToImageParams":{"text":"a red apple"},)"
      R"("imageGenerationConfig":{"numberOfImages":1,"width":1024,"height":1024}})");
  const SigV4Params params = params_for("bedrock");
  const std::string body_hash = "739d1d467f20806babc1313e1d1f5c83c394aa2d01acabf3300293e4846d46a7";
  EXPECT_EQ(sigv4_payload_hash(request.body, params), body_hash);
  ASSERT_TRUE(sigv4_sign(request, example_creds(), params).is_ok());
  std::string signed_headers;
  auto canonical = sigv4_canonical_request(request, params, &signed_headers);
  ASSERT_TRUE(canonical.is_ok());
  EXPECT_EQ(*canonical,
            "POST\n/model/amazon.nova-canvas-v1%253A0/invoke\n\naccept:application/json\n"
            "content-type:application/json\nhost:bedrock-runtime.us-east-1.amazonaws.com\n"
            "x-amz-date:20150830T123600Z\n\naccept;content-type;host;x-amz-date\n" +
                body_hash);
  EXPECT_EQ(signed_headers, "accept;content-type;host;x-amz-date");
  const std::string sts =
      sigv4_string_to_sign(kDate, sigv4_scope(kDate, "us-east-1", "bedrock"), *canonical);
  EXPECT_EQ(sts.substr(sts.rfind('\n') + 1),
            "da0c594af538769113b5f3d8fb181c1fbcd8a0d3e8d72912454920ddd630ee74");
  EXPECT_EQ(header_value(request, "authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request, "
            "SignedHeaders=accept;content-type;host;x-amz-date, "
            "Signature=2260012d5b6d08865271427caa4f55e9f9367f573256193e9b603f45a3fc3b89");
}

// Derived vector 2: the S3 key is signed as sent, not encoded again.
TEST(SigV4Test, DerivedS3PutObjectSignedPayload) {
  OutboundRequest request =
      make_request("PUT", "https://examplebucket.s3.amazonaws.com/photos/cat%20%281%29.png",
                   {{"Content-Type", "image/png"}}, "hello");
  const SigV4Params params = params_for("s3", true);
  ASSERT_TRUE(sigv4_sign(request, example_creds(), params).is_ok());
  EXPECT_EQ(header_value(request, "x-amz-content-sha256"),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  auto canonical = sigv4_canonical_request(request, params);
  ASSERT_TRUE(canonical.is_ok());
  EXPECT_TRUE(canonical->starts_with("PUT\n/photos/cat%20%281%29.png\n\n")) << *canonical;
  EXPECT_EQ(signed_headers_of(request), "content-type;host;x-amz-content-sha256;x-amz-date");
  EXPECT_EQ(signature_of(request),
            "4eb64f381db0276664227e4a2884ddc57c11cc0d5d9eb9eb79ee8810408a7d49");
}

// Derived vector 3.
TEST(SigV4Test, DerivedS3PutObjectUnsignedPayload) {
  OutboundRequest request = make_request("PUT", "https://examplebucket.s3.amazonaws.com/a.png",
                                         {{"Content-Type", "image/png"}}, "bytes not signed");
  SigV4Params params = params_for("s3", true);
  params.unsigned_payload = true;
  ASSERT_TRUE(sigv4_sign(request, example_creds(), params).is_ok());
  EXPECT_EQ(header_value(request, "x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  EXPECT_EQ(signature_of(request),
            "b077d2e6c1ff8b6047ff725f3f4b6264297a3b1ccbfb959edd5524d615ff270a");
}

// Derived vector 4: path style on MinIO, a non-default port in Host, a sorted query.
TEST(SigV4Test, DerivedListObjectsV2OnLocalhost) {
  OutboundRequest request = make_request(
      "GET", "http://localhost:9000/examplebucket?list-type=2&prefix=photos%2F&max-keys=100");
  const SigV4Params params = params_for("s3", true);
  ASSERT_TRUE(sigv4_sign(request, example_creds(), params).is_ok());
  EXPECT_EQ(header_value(request, "host"), "localhost:9000");
  EXPECT_EQ(header_value(request, "x-amz-content-sha256"), kEmptyHash);
  auto canonical = sigv4_canonical_request(request, params);
  ASSERT_TRUE(canonical.is_ok());
  EXPECT_TRUE(
      canonical->starts_with("GET\n/examplebucket\nlist-type=2&max-keys=100&prefix=photos%2F\n"));
  EXPECT_EQ(signature_of(request),
            "a557afed4c99a689f18b97e6c103a6a5e543154b254da686105fc8beb8b32d2d");
}

// The canonical request's second and third lines: URI and query.
std::string uri_and_query(const std::string& url, bool s3) {
  auto canonical = sigv4_canonical_request(make_request("GET", url), params_for("service", s3));
  EXPECT_TRUE(canonical.is_ok()) << url;
  if (!canonical.is_ok()) return "";
  const std::size_t start = canonical->find('\n') + 1;
  return canonical->substr(start, canonical->find('\n', canonical->find('\n', start) + 1) - start);
}

TEST(SigV4Test, CanonicalUriAndQueryRules) {
  const std::string host = "https://h.example";
  EXPECT_EQ(uri_and_query(host, false), "/\n");
  EXPECT_EQ(uri_and_query(host, true), "/\n");
  EXPECT_EQ(uri_and_query(host + "/a%2Fb/c%3Ad#frag", false), "/a%252Fb/c%253Ad\n");
  EXPECT_EQ(uri_and_query(host + "/a/b/../c/./d/", false), "/a/c/d/\n");
  EXPECT_EQ(uri_and_query(host + "/a/b/..", false), "/a\n");
  EXPECT_EQ(uri_and_query(host + "/a/b/../c/./d/", true), "/a/b/../c/./d/\n");
  EXPECT_EQ(uri_and_query(host + "/x%2fy z(1)%41", true), "/x%2Fy%20z%281%29A\n");
  EXPECT_EQ(uri_and_query(host + "/100%", true), "/100%25\n");
  EXPECT_EQ(uri_and_query(host + "/?b=2&a=z&a=y&flag&c=a+b&d=%2f%7E&&e=#f", false),
            "/\na=y&a=z&b=2&c=a%2Bb&d=%2F~&e=&flag=");
}

TEST(SigV4Test, UnsignedHeadersAreLeftOut) {
  OutboundRequest request = make_request("GET", "https://h.example/",
                                         {{"User-Agent", "adloom/1"},
                                          {"X-Amzn-Trace-Id", "Root=1"},
                                          {"Connection", "close"},
                                          {"Expect", ""},
                                          {"Transfer-Encoding", "chunked"},
                                          {"Upgrade", "h2c"},
                                          {"Sec-WebSocket-Key", "k"},
                                          {"X-Custom", "  a \t b  "}});
  ASSERT_TRUE(sigv4_sign(request, example_creds(), params_for("service")).is_ok());
  std::string signed_headers;
  auto canonical = sigv4_canonical_request(request, params_for("service"), &signed_headers);
  ASSERT_TRUE(canonical.is_ok());
  EXPECT_EQ(signed_headers, "host;x-amz-date;x-custom");
  EXPECT_NE(canonical->find("\nx-custom:a b\n"), std::string::npos);
  EXPECT_EQ(signed_headers_of(request), signed_headers);
}

TEST(SigV4Test, HostHeader) {
  const auto host_of = [](const std::string& url, std::vector<HttpHeader> headers = {}) {
    OutboundRequest request = make_request("GET", url, std::move(headers));
    EXPECT_TRUE(sigv4_sign(request, example_creds(), params_for("s3", true)).is_ok()) << url;
    return header_value(request, "host");
  };
  EXPECT_EQ(host_of("https://h.example:443/"), "h.example");
  EXPECT_EQ(host_of("http://h.example:80/x"), "h.example");
  EXPECT_EQ(host_of("http://h.example:443/x"), "h.example:443");
  EXPECT_EQ(host_of("HTTPS://h.example:8443?q=1"), "h.example:8443");
  EXPECT_EQ(host_of("http://[::1]:9000/b"), "[::1]:9000");
  EXPECT_EQ(host_of("http://[::1]/b"), "[::1]");
  EXPECT_EQ(host_of("http://127.0.0.1:9000/b", {{"host", "minio.lan:9000"}}), "minio.lan:9000");
}

TEST(SigV4Test, SigningAgainReplacesTheEarlierSignature) {
  OutboundRequest request = make_request("GET", "https://h.example/");
  SigV4Params params = params_for("s3", true);
  ASSERT_TRUE(sigv4_sign(request, example_creds("tok"), params).is_ok());
  params.amz_date = "20150831T000000Z";
  ASSERT_TRUE(sigv4_sign(request, example_creds("tok"), params).is_ok());
  EXPECT_EQ(request.headers.size(), 5u);  // host, date, token, content hash, authorization
  EXPECT_EQ(header_value(request, "x-amz-date"), "20150831T000000Z");
  OutboundRequest fresh = make_request("GET", "https://h.example/");
  ASSERT_TRUE(sigv4_sign(fresh, example_creds("tok"), params).is_ok());
  EXPECT_EQ(header_value(request, "authorization"), header_value(fresh, "authorization"));
}

TEST(SigV4Test, EmptyDateMeansNow) {
  OutboundRequest request = make_request("GET", "https://h.example/");
  const SigV4Params now{.region = "us-east-1", .service = "service", .amz_date = ""};
  ASSERT_TRUE(sigv4_sign(request, example_creds(), now).is_ok());
  const std::string date = header_value(request, "x-amz-date");
  EXPECT_TRUE(std::regex_match(date, std::regex("20[0-9]{6}T[0-9]{6}Z"))) << date;
  EXPECT_NE(header_value(request, "authorization").find("/" + date.substr(0, 8) + "/us-east-1/"),
            std::string::npos);
}

TEST(SigV4Test, RejectsBadInputWithoutTouchingTheRequest) {
  const auto rejects = [](const std::string& url, const AwsCredentials& creds,
                          const SigV4Params& params) {
    OutboundRequest request = make_request("GET", url);
    Status st = sigv4_sign(request, creds, params);
    EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument) << url;
    EXPECT_TRUE(request.headers.empty()) << url;
    EXPECT_EQ(st.message().find(kSecret), std::string::npos);
    EXPECT_EQ(st.message().find("secret-query"), std::string::npos);
  };
  for (const char* url : {"", "h.example/x", "ftp://h.example/", "https:///x", "https://:9/x",
                          "https://u:p@h.example/", "https://h.example:0/", "https://h.example:x/",
                          "https://h.example:99999/", "https://[::1/", "https://[::1]x/",
                          "https://h ex/", "https://h.example:/?q=secret-query"}) {
    rejects(url, example_creds(), params_for("service"));
  }
  rejects("https://h.example/", example_creds(),
          {.region = "us-east-1", .service = "s3", .amz_date = "2015-08-30"});
  rejects("https://h.example/", {kAkid, "", "", "env"}, params_for("service"));
  rejects("https://h.example/", {"", kSecret, "", "env"}, params_for("service"));
  rejects("https://h.example/", example_creds(), params_for(""));
  rejects("https://h.example/", example_creds(),
          {.region = "", .service = "s3", .amz_date = kDate});
}

}  // namespace
}  // namespace adloom
