// RequestContext: who is asking, in which workspace, with which role. Every service call
// takes one; services check the role before touching data and scope every query by
// `workspace_id`. Authentication arrives in a later issue; until then the HTTP adapter
// builds a context for the local operator (see src/api/http_adapter.cpp).
#pragma once

#include <string>

#include "core/ids.h"

namespace adloom {

enum class Role { kViewer, kEditor, kReviewer, kOwner };

std::string_view role_name(Role role);

struct Principal {
  enum class Kind { kUser, kApiKey, kSystem };
  Kind kind = Kind::kSystem;
  std::string id;  // user id, api key id, or "system"/"cli"
};

struct RequestContext {
  std::string request_id;
  Principal principal;
  WorkspaceId workspace_id;
  Role role = Role::kViewer;

  // True when `role` is at least `needed` (viewer < editor < reviewer < owner).
  bool has_role(Role needed) const { return static_cast<int>(role) >= static_cast<int>(needed); }

  // A context for internal work (CLI, workers) acting in one workspace as owner.
  static RequestContext system(WorkspaceId workspace, std::string request_id) {
    return RequestContext{std::move(request_id), Principal{Principal::Kind::kSystem, "system"},
                          std::move(workspace), Role::kOwner};
  }
};

}  // namespace adloom
