// GET /api/v1/events: server-sent events for the caller's workspace.
//   event: job      data: the job (as GET /api/v1/jobs/{id}) after each state/step change
//   event: overflow data: {"dropped": n} when this client fell behind; re-read state
#include "api/api.h"
#include "api/job_json.h"

namespace adloom {
namespace {

class JobEventStream final : public EventStream {
 public:
  explicit JobEventStream(std::shared_ptr<EventBus::Subscription> sub) : sub_(std::move(sub)) {}

  void set_notify(std::function<void()> notify) override { sub_->set_notify(std::move(notify)); }

  std::string take() override {
    std::string out;
    if (auto dropped = sub_->dropped(); dropped != reported_dropped_) {
      out += "event: overflow\ndata: " + Json({{"dropped", dropped}}).dump() + "\n\n";
      reported_dropped_ = dropped;
    }
    for (const auto& e : sub_->take()) {
      out += "id: " + std::to_string(e.seq) + "\nevent: job\ndata: " + job_to_json(e.job).dump() +
             "\n\n";
    }
    return out;
  }

  bool closed() const override { return sub_->closed(); }

 private:
  std::shared_ptr<EventBus::Subscription> sub_;
  std::uint64_t reported_dropped_ = 0;
};

}  // namespace

void register_event_routes(Router& router, ApiDeps& deps) {
  router.add("GET", "/api/v1/events",
             [&deps](const RequestContext& ctx, HttpRequest&) -> Result<HttpResponse> {
               HttpResponse resp;
               resp.stream =
                   std::make_shared<JobEventStream>(deps.events.subscribe(ctx.workspace_id));
               return resp;
             });
}

}  // namespace adloom
