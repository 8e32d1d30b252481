// /api/v1/kpis: bulk KPI import from a CSV sheet.
#include <cctype>

#include "api/api.h"
#include "api/json_io.h"
#include "services/kpi_import.h"

namespace adloom {
namespace {

bool is_csv_content_type(std::string_view ct) {
  std::string mime(ct.substr(0, ct.find(';')));
  while (!mime.empty() && mime.back() == ' ') mime.pop_back();
  for (auto& c : mime) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return mime == "text/csv";
}

Json report_to_json(const KpiImportReport& report) {
  Json errors = Json::array();
  for (const auto& e : report.errors) errors.push_back({{"row", e.row}, {"reason", e.reason}});
  return {{"rows_total", report.rows_total},
          {"rows_applied", report.rows_applied},
          {"kpis_applied", report.kpis_applied},
          {"errors", errors}};
}

}  // namespace

void register_kpi_routes(Router& router, ApiDeps& deps) {
  // Body: the CSV itself (Content-Type text/csv, else 415). 200 with the report even when
  // some rows were rejected; 400 when the whole file is unusable (see import_kpis_csv).
  router.add("POST", "/api/v1/kpis/import",
             [&deps](const RequestContext& ctx, HttpRequest& req) -> Result<HttpResponse> {
               auto ct = req.header("content-type");
               if (!ct || !is_csv_content_type(*ct)) {
                 return Status(ErrorCode::kUnsupportedMediaType,
                               "expected Content-Type: text/csv, got " +
                                   (ct ? "'" + std::string(*ct) + "'" : std::string("none")));
               }
               ADLOOM_ASSIGN(KpiImportReport report,
                             import_kpis_csv(ctx, deps.assets, req.body, "csv:api"));
               return json_response(200, report_to_json(report));
             });
}

}  // namespace adloom
