#include "core/request_context.h"

namespace adloom {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kViewer: return "viewer";
    case Role::kEditor: return "editor";
    case Role::kReviewer: return "reviewer";
    case Role::kOwner: return "owner";
  }
  return "viewer";
}

}  // namespace adloom
