// Job <-> JSON for the API and the event stream.
#pragma once

#include "api/json_io.h"
#include "jobs/job.h"

namespace adloom {

// The public representation of a job (GET /api/v1/jobs/{id}, SSE "job" events).
Json job_to_json(const Job& job);

}  // namespace adloom
