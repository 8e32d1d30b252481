// Time as milliseconds since the Unix epoch (UTC), behind an injectable clock so that
// leases, backoff and expiry can be tested without sleeping.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace adloom {

using TimeMs = std::int64_t;  // ms since 1970-01-01T00:00:00Z

// Thread safety: implementations must be safe to call from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimeMs now_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimeMs now_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// "2026-11-28T01:09:03.123Z"
std::string format_rfc3339(TimeMs t);

}  // namespace adloom
