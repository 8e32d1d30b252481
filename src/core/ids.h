// Identifiers: "<prefix>_" + a ULID (26 Crockford base32 chars: 48-bit ms time, 80 random
// bits). Time-ordered, so listing by id is listing by creation time (cursor paging).
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"

namespace adloom {

using WorkspaceId = std::string;  // "ws_…"
using JobId = std::string;        // "job_…"

// A new id such as "job_01JDX3…". Thread safe. Randomness from the OS (getrandom).
std::string new_id(std::string_view prefix, TimeMs now);

// True when `id` has the form "<prefix>_<26 Crockford base32 chars>". Used to reject
// malformed ids at the edge before they reach a query.
bool is_valid_id(std::string_view id, std::string_view prefix);

// 16 random bytes as 32 lowercase hex chars (request ids, worker ids).
std::string random_hex(std::size_t bytes);

}  // namespace adloom
