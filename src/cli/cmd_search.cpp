// adloom search ["TEXT"] [--image FILE] [--like ID]... [--unlike ID]... [--filter KEY=VALUE]...
//               [-k N] [--kpi METRIC] [--json] [--workspace WS]
// Searches the library from the command line, as POST /api/v1/search does, reading the
// store and the vector index files beside a running server.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "api/search_json.h"
#include "cli/commands.h"
#include "core/ids.h"

namespace adloom::cli {
namespace {

struct SearchFlags {
  std::string text;
  std::string image;
  std::vector<std::string> like;
  std::vector<std::string> unlike;
  std::vector<std::string> filters;
  int k = 10;
  std::string kpi;
  bool json = false;
  std::string workspace;
};

// KEY=VALUE: channel, objective, audience, campaign, kind, review_state, tag, date_from,
// date_to, or min_METRIC (min_ctr=0.02).
Status add_filter(SearchFilter& f, const std::string& item) {
  const auto eq = item.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
    return invalid_argument("--filter takes KEY=VALUE, such as channel=instagram, not '" + item +
                            "'");
  }
  const std::string key = item.substr(0, eq);
  const std::string value = item.substr(eq + 1);
  if (key == "channel") {
    f.channels.push_back(value);
  } else if (key == "objective") {
    f.objectives.push_back(value);
  } else if (key == "audience") {
    f.audiences.push_back(value);
  } else if (key == "campaign") {
    f.campaigns.push_back(value);
  } else if (key == "tag") {
    f.tags.push_back(value);
  } else if (key == "kind") {
    f.kind = value;
  } else if (key == "review_state") {
    auto state = parse_review_state(value);
    if (!state) return invalid_argument("review_state must be none, pending, approved or rejected");
    f.review.push_back(*state);
  } else if (key == "date_from") {
    f.date_from = value;
  } else if (key == "date_to") {
    f.date_to = value;
  } else if (key.starts_with("min_") && key.size() > 4) {
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (end == value.c_str() || *end != '\0') {
      return invalid_argument(key + " needs a number, not '" + value + "'");
    }
    f.min_kpis.push_back({key.substr(4), v});
  } else {
    return invalid_argument("unknown filter '" + key +
                            "' (known: channel, objective, audience, campaign, tag, kind, "
                            "review_state, date_from, date_to, min_<metric>)");
  }
  return Status::ok();
}

void print_hits(const SearchResult& r) {
  if (r.hits.empty()) {
    std::printf("No matches.\n");
    return;
  }
  int rank = 0;
  for (const auto& h : r.hits) {
    std::printf("%2d. %s  score %.3f\n    %s\n", ++rank, h.id.c_str(), h.score,
                h.explanation.c_str());
  }
  std::printf("%zu shown of %zu candidates (%s vector search, %.1f ms)\n", r.hits.size(),
              r.stats.candidates, r.stats.vector_mode.c_str(), r.stats.took_ms);
}

}  // namespace

void add_search_command(CLI::App& app, Globals& g) {
  auto flags = std::make_shared<SearchFlags>();
  auto* cmd = app.add_subcommand("search", "Search the library by text, image or examples");
  cmd->add_option("text", flags->text, "Words to search for")->type_name("TEXT");
  cmd->add_option("--image", flags->image, "An image file to find similar ones to")
      ->type_name("FILE");
  cmd->add_option("--like", flags->like, "An asset to move toward (repeatable)")->type_name("ID");
  cmd->add_option("--unlike", flags->unlike, "An asset to move away from (repeatable)")
      ->type_name("ID");
  cmd->add_option("--filter", flags->filters,
                  "KEY=VALUE: channel, objective, audience, campaign, tag, kind, review_state, "
                  "date_from, date_to, min_<metric> (repeatable)")
      ->type_name("KEY=VALUE");
  cmd->add_option("-k", flags->k, "How many results (1-100)")->default_val(10);
  cmd->add_option("--kpi", flags->kpi, "The KPI that ranks (default ctr; 'none' for none)")
      ->type_name("METRIC");
  cmd->add_flag("--json", flags->json, "Print the result as the API's JSON");
  cmd->add_option("--workspace", flags->workspace, "Workspace id (default: the default one)")
      ->type_name("WS_ID");
  cmd->callback([&g, flags] {
    auto fail = [&g](const Status& st, int code) {
      std::cerr << "adloom: " << st.message() << "\n";
      g.exit_code = code;
    };
    SearchRequest req;
    req.text = flags->text;
    req.k = flags->k;
    req.like = flags->like;
    req.unlike = flags->unlike;
    for (const auto& f : flags->filters) {
      if (Status st = add_filter(req.filter, f); !st.is_ok()) return fail(st, 2);
    }
    if (!flags->kpi.empty()) {
      RankOptions rank;
      rank.kpi = flags->kpi == "none" ? "" : flags->kpi;
      req.rank = rank;
    }
    if (!flags->image.empty()) {
      std::ifstream in(flags->image, std::ios::binary);
      if (!in) return fail(invalid_argument("cannot read " + flags->image), 2);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      req.image_bytes = bytes.str();
    }
    auto app = g.open_app();
    if (!app) return;
    const std::optional<WorkspaceId> ws = g.workspace(*app, flags->workspace);
    if (!ws) return;
    if (Status st = app->open_search_readonly(); !st.is_ok()) return fail(st, 1);
    auto ctx = RequestContext::system(*ws, "cli-search-" + random_hex(8));
    auto result = app->search().search(ctx, req);
    if (!result) {
      const bool usage = result.status().code() == ErrorCode::kInvalidArgument ||
                         result.status().code() == ErrorCode::kNotFound;
      return fail(result.status(), usage ? 2 : 1);
    }
    if (flags->json) {
      std::printf("%s\n", search_result_to_json(*result).dump(2).c_str());
    } else {
      print_hits(*result);
    }
  });
}

}  // namespace adloom::cli
