#include "core/ids.h"

#include <array>
#include <cstdint>
#include <stdexcept>

#include <sys/random.h>

namespace adloom {
namespace {

constexpr std::string_view kCrockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void fill_random(unsigned char* out, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    ssize_t got = getrandom(out + done, n - done, 0);
    if (got < 0) throw std::runtime_error("getrandom failed");
    done += static_cast<std::size_t>(got);
  }
}

int b_at(const std::array<unsigned char, 16>& bytes, std::size_t bit) {
  return (bytes[bit / 8] >> (7 - bit % 8)) & 1;
}

}  // namespace

std::string new_id(std::string_view prefix, TimeMs now) {
  std::array<unsigned char, 16> b{};
  auto t = static_cast<std::uint64_t>(now);
  for (int i = 5; i >= 0; --i) {
    b[static_cast<std::size_t>(i)] = static_cast<unsigned char>(t & 0xff);
    t >>= 8;
  }
  fill_random(b.data() + 6, 10);
  // 128 bits -> 26 base32 chars, most significant first; the first char carries 3 bits
  // (2 zero pad bits in front of the 128).
  std::array<char, 26> chars{};
  for (std::size_t c = 0; c < 26; ++c) {
    int value = 0;
    for (int k = 0; k < 5; ++k) {
      int bit = static_cast<int>(c) * 5 + k - 2;  // index into the 128 bits; <0 is padding
      value = (value << 1) | (bit < 0 ? 0 : b_at(b, static_cast<std::size_t>(bit)));
    }
    chars[c] = kCrockford[static_cast<std::size_t>(value)];
  }
  std::string out(prefix);
  out += '_';
  out.append(chars.data(), chars.size());
  return out;
}

bool is_valid_id(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + 1 + 26) return false;
  if (id.substr(0, prefix.size()) != prefix || id[prefix.size()] != '_') return false;
  for (char c : id.substr(prefix.size() + 1)) {
    if (kCrockford.find(c) == std::string_view::npos) return false;
  }
  return id[prefix.size() + 1] <= '7';  // 128-bit value: first char holds 3 bits
}

std::string random_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  fill_random(reinterpret_cast<unsigned char*>(raw.data()), bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  for (unsigned char c : raw) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

}  // namespace adloom
