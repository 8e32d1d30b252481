#include "net/sigv4.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <ctime>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "core/sha256.h"
#include "core/text.h"

namespace adloom {
namespace {

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
constexpr char kHexUpper[] = "0123456789ABCDEF";
constexpr char kHexLower[] = "0123456789abcdef";

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~';
}

// The whitespace that header canonicalisation trims and collapses: a folded multi-line
// value ("v1\n  v2") becomes "v1 v2", as in aws-c-auth (aws_isspace) and botocore.
bool is_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_escape_at(std::string_view s, std::size_t i) {
  return s[i] == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0;
}

// c itself when unreserved (or `/` and keep_slash), else "%XY" in upper-case hex.
void append_encoded(std::string& out, unsigned char c, bool keep_slash) {
  if (is_unreserved(c) || (keep_slash && c == '/')) {
    out.push_back(static_cast<char>(c));
    return;
  }
  out.push_back('%');
  out.push_back(kHexUpper[c >> 4]);
  out.push_back(kHexUpper[c & 0x0F]);
}

std::string uri_encode_bytes(std::string_view s, bool keep_slash) {
  std::string out;
  for (char c : s) append_encoded(out, static_cast<unsigned char>(c), keep_slash);
  return out;
}

// `%XY` escapes decoded; a `%` not followed by two hex digits stays a literal `%`.
std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (is_escape_at(s, i)) {
      out.push_back(static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Calls fn on each piece of s between separators, empty pieces included.
template <typename Fn>
void for_each_piece(std::string_view s, char separator, Fn fn) {
  for (std::size_t start = 0; start <= s.size();) {
    const std::size_t end = std::min(s.find(separator, start), s.size());
    fn(s.substr(start, end - start));
    start = end + 1;
  }
}

struct UrlParts {
  std::string host;  // the Host header value: host, plus ":port" unless the default
  std::string_view path;
  std::string_view query;
};

Result<UrlParts> split_url(std::string_view url) {
  // The part before any query, so a message never carries query values.
  const std::string shown(url.substr(0, url.find_first_of("?#")));
  const auto bad = [&](std::string_view why) {
    return invalid_argument("cannot sign request: " + std::string(why) + " in URL '" + shown + "'");
  };
  const std::size_t sep = url.find("://");
  if (sep == std::string_view::npos) return bad("no scheme");
  const std::string scheme = lower_ascii(std::string(url.substr(0, sep)));
  if (scheme != "http" && scheme != "https") return bad("scheme is not http or https");
  const std::string_view rest = url.substr(sep + 3);
  const std::size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  const std::string_view authority = rest.substr(0, authority_end);
  if (authority.empty()) return bad("no host");
  for (char c : authority) {
    if (c == '@') return bad("user info");
    if (static_cast<unsigned char>(c) <= ' ') return bad("a space or control character");
  }
  // An IPv6 literal is bracketed: [::1]:9000.
  const std::size_t bracket = authority.front() == '[' ? authority.find(']') : 0;
  const std::size_t colon = authority.find(':', bracket);
  const std::string_view host = authority.substr(0, colon);
  if (bracket == std::string_view::npos || host.empty() ||
      (bracket > 0 && host.size() != bracket + 1)) {
    return bad("a bad host");
  }
  UrlParts parts;
  parts.host = std::string(host);
  if (colon != std::string_view::npos) {
    const std::string_view port = authority.substr(colon + 1);
    int number = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (port.empty() || error != std::errc() || end != port.data() + port.size() || number < 1 ||
        number > 65535) {
      return bad("a bad port");
    }
    // libcurl leaves the scheme's default port out of Host; sign what it sends.
    if (number != (scheme == "https" ? 443 : 80)) parts.host += ":" + std::string(port);
  }
  std::string_view target = rest.substr(authority_end);
  target = target.substr(0, target.find('#'));
  const std::size_t question = target.find('?');
  parts.path = target.substr(0, question);
  if (question != std::string_view::npos) parts.query = target.substr(question + 1);
  return parts;
}

// RFC 3986 dot-segment removal plus `//` collapsing, as aws-c-auth and botocore do:
// "//a/./b/../c/" -> "/a/c/".
std::string normalize_path(std::string_view path) {
  std::vector<std::string_view> segments;
  for_each_piece(path, '/', [&](std::string_view segment) {
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
  });
  std::string out = "/";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    out += segments[i];
    if (i + 1 < segments.size() || (!path.empty() && path.back() == '/')) out.push_back('/');
  }
  return out;
}

// S3: the wire path as it is, bytes that cannot appear there unencoded aside.
std::string s3_canonical_path(std::string_view path) {
  if (path.empty()) return "/";
  std::string out;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (is_escape_at(path, i)) {  // the same bytes: "%2f" -> "%2F", "%41" -> "A"
      append_encoded(
          out, static_cast<unsigned char>(hex_value(path[i + 1]) * 16 + hex_value(path[i + 2])),
          false);
      i += 2;
    } else {
      append_encoded(out, static_cast<unsigned char>(path[i]), true);
    }
  }
  return out;
}

std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  for_each_piece(query, '&', [&](std::string_view item) {
    if (item.empty()) return;
    const std::size_t eq = item.find('=');
    const std::string_view value = eq == std::string_view::npos ? "" : item.substr(eq + 1);
    params.emplace_back(uri_encode_bytes(percent_decode(item.substr(0, eq)), false),
                        uri_encode_bytes(percent_decode(value), false));
  });
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    out.append(out.empty() ? "" : "&").append(name).append("=").append(value);
  }
  return out;
}

std::string_view trim_whitespace(std::string_view s) {
  while (!s.empty() && is_whitespace(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_whitespace(s.back())) s.remove_suffix(1);
  return s;
}

// Trimmed, with every run of whitespace inside turned into one space.
std::string canonical_header_value(std::string_view value) {
  std::string out;
  for (char c : trim_whitespace(value)) {  // trimmed: out is not empty when a space comes
    if (!is_whitespace(c)) {
      out.push_back(c);
    } else if (out.back() != ' ') {
      out.push_back(' ');
    }
  }
  return out;
}

bool is_unsigned_header(std::string_view lower_name) {
  static constexpr std::array<std::string_view, 7> kSkipped = {
      "authorization", "connection", "expect",         "transfer-encoding",
      "upgrade",       "user-agent", "x-amzn-trace-id"};
  return std::find(kSkipped.begin(), kSkipped.end(), lower_name) != kSkipped.end() ||
         lower_name.starts_with("sec-websocket-");
}

std::set<std::string> split_header_list(std::string_view list) {
  std::set<std::string> names;
  for_each_piece(list, ';', [&](std::string_view name) {
    if (name = trim_whitespace(name); !name.empty()) names.insert(lower_ascii(std::string(name)));
  });
  return names;
}

// "name:value\n" lines for the signed headers, and their names joined with ';'.
std::pair<std::string, std::string> canonical_headers(const std::vector<HttpHeader>& headers,
                                                      std::string_view only_headers) {
  const std::set<std::string> only = split_header_list(only_headers);
  std::vector<std::pair<std::string, std::string>> lines;
  for (const HttpHeader& header : headers) {
    std::string name = lower_ascii(std::string(trim_whitespace(header.name)));
    if (name.empty()) continue;
    if (only.empty() ? is_unsigned_header(name) : !only.contains(name)) continue;
    lines.emplace_back(std::move(name), canonical_header_value(header.value));
  }
  // Stable: repeated headers keep the order they were given in.
  std::stable_sort(lines.begin(), lines.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string text;
  std::string names;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i > 0 && lines[i].first == lines[i - 1].first) {
      text.back() = ',';  // a repeated header: values joined, replacing the last '\n'
    } else {
      names += (names.empty() ? "" : ";") + lines[i].first;
      text += lines[i].first + ":";
    }
    text += lines[i].second + "\n";
  }
  return {std::move(text), std::move(names)};
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int size = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac.data(),
           &size) == nullptr) {
    // Only an OpenSSL initialisation failure gets here: nothing can work without it.
    throw std::runtime_error("OpenSSL HMAC-SHA256 failed");
  }
  return {reinterpret_cast<const char*>(mac.data()), size};
}

std::string to_hex(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    out.push_back(kHexLower[c >> 4]);
    out.push_back(kHexLower[c & 0x0F]);
  }
  return out;
}

bool is_amz_date(std::string_view d) {
  if (d.size() != 16 || d[8] != 'T' || d[15] != 'Z') return false;
  for (std::size_t i = 0; i < 15; ++i) {
    if (i != 8 && (d[i] < '0' || d[i] > '9')) return false;
  }
  return true;
}

std::string amz_date_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 20> text{};  // "20150830T123600Z"
  return {text.data(), std::strftime(text.data(), text.size(), "%Y%m%dT%H%M%SZ", &utc)};
}

}  // namespace

std::string sigv4_payload_hash(std::string_view body, const SigV4Params& params) {
  return params.unsigned_payload ? std::string("UNSIGNED-PAYLOAD") : sha256_hex(body);
}

Result<std::string> sigv4_canonical_request(const OutboundRequest& request,
                                            const SigV4Params& params, std::string* signed_headers,
                                            std::string_view only_headers) {
  ADLOOM_ASSIGN(const UrlParts url, split_url(request.url));
  auto [header_text, header_names] = canonical_headers(request.headers, only_headers);
  std::string out = request.method + "\n" +
                    (params.s3_uri_rules ? s3_canonical_path(url.path)
                                         : uri_encode_bytes(normalize_path(url.path), true)) +
                    "\n" + canonical_query(url.query) + "\n" + header_text + "\n" + header_names +
                    "\n" + sigv4_payload_hash(request.body, params);
  if (signed_headers != nullptr) *signed_headers = std::move(header_names);
  return out;
}

std::string sigv4_scope(std::string_view amz_date, std::string_view region,
                        std::string_view service) {
  return std::string(amz_date.substr(0, 8)) + "/" + std::string(region) + "/" +
         std::string(service) + "/aws4_request";
}

std::string sigv4_string_to_sign(std::string_view amz_date, std::string_view scope,
                                 std::string_view canonical_request) {
  return std::string(kAlgorithm) + "\n" + std::string(amz_date) + "\n" + std::string(scope) + "\n" +
         sha256_hex(canonical_request);
}

std::string sigv4_signature(std::string_view secret_access_key, std::string_view amz_date,
                            std::string_view region, std::string_view service,
                            std::string_view string_to_sign) {
  std::string key = "AWS4";
  key += secret_access_key;
  std::string k_date = hmac_sha256(key, amz_date.substr(0, 8));
  std::string k_region = hmac_sha256(k_date, region);
  std::string k_service = hmac_sha256(k_region, service);
  std::string k_signing = hmac_sha256(k_service, "aws4_request");
  std::string signature = to_hex(hmac_sha256(k_signing, string_to_sign));
  // Key material is overwritten before the memory is released.
  for (std::string* s : {&key, &k_date, &k_region, &k_service, &k_signing}) {
    OPENSSL_cleanse(s->data(), s->size());
  }
  return signature;
}

Status sigv4_sign(OutboundRequest& request, const AwsCredentials& creds,
                  const SigV4Params& params) {
  if (creds.access_key_id.empty() || creds.secret_access_key.empty()) {
    return invalid_argument("cannot sign request: the AWS access key id or secret is empty" +
                            (creds.source.empty() ? "" : " (from " + creds.source + ")"));
  }
  if (params.region.empty() || params.service.empty()) {
    return invalid_argument("cannot sign request: empty SigV4 region or service");
  }
  if (!params.amz_date.empty() && !is_amz_date(params.amz_date)) {
    return invalid_argument("cannot sign request: amz_date '" + params.amz_date +
                            "' is not YYYYMMDD'T'HHMMSS'Z'");
  }
  // Validated before the request is touched.
  ADLOOM_ASSIGN(const UrlParts url, split_url(request.url));
  const std::string amz_date = params.amz_date.empty() ? amz_date_now() : params.amz_date;
  const bool body_header = params.sign_body_header || params.unsigned_payload;

  bool has_host = false;
  std::erase_if(request.headers, [&](const HttpHeader& h) {  // an earlier signature's
    const std::string name = lower_ascii(h.name);
    has_host = has_host || name == "host";
    return name == "authorization" || name == "x-amz-date" || name == "x-amz-security-token" ||
           (body_header && name == "x-amz-content-sha256");
  });
  if (!has_host) request.headers.push_back({"Host", url.host});
  request.headers.push_back({"X-Amz-Date", amz_date});
  const bool token = !creds.session_token.empty();
  if (token && !params.omit_session_token) {
    request.headers.push_back({"X-Amz-Security-Token", creds.session_token});
  }
  if (body_header) {
    request.headers.push_back({"X-Amz-Content-Sha256", sigv4_payload_hash(request.body, params)});
  }

  std::string signed_headers;
  ADLOOM_ASSIGN(const std::string canonical,
                sigv4_canonical_request(request, params, &signed_headers));
  const std::string scope = sigv4_scope(amz_date, params.region, params.service);
  const std::string signature =
      sigv4_signature(creds.secret_access_key, amz_date, params.region, params.service,
                      sigv4_string_to_sign(amz_date, scope, canonical));
  request.headers.push_back({"Authorization", std::string(kAlgorithm) +
                                                  " Credential=" + creds.access_key_id + "/" +
                                                  scope + ", SignedHeaders=" + signed_headers +
                                                  ", Signature=" + signature});
  if (token && params.omit_session_token) {
    request.headers.push_back({"X-Amz-Security-Token", creds.session_token});
  }
  return Status::ok();
}

}  // namespace adloom
