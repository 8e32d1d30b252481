// Composition root: reads nothing itself; takes the validated Config and builds every
// backend, service and server in dependency order, owning them all. No singletons: main
// shows the wiring through this one class.
#pragma once

#include <atomic>
#include <memory>
#include <stop_token>

#include "api/api.h"
#include "api/http_server.h"
#include "app/model_factory.h"
#include "blob/blob_store.h"
#include "core/clock.h"
#include "core/config.h"
#include "imaging/provenance.h"
#include "jobs/event_bus.h"
#include "jobs/job_handler.h"
#include "jobs/sqlite_job_queue.h"
#include "jobs/worker_pool.h"
#include "obs/metrics.h"
#include "search/catalog.h"
#include "search/embedded/faiss_vector_index.h"
#include "search/embedded/sqlite_text_index.h"
#include "services/brand_service.h"
#include "services/campaign_service.h"
#include "services/library_service.h"
#include "services/search_service.h"
#include "store/sqlite/sqlite_asset_store.h"
#include "store/sqlite/sqlite_brand_store.h"
#include "store/sqlite/sqlite_campaign_store.h"
#include "store/sqlite/sqlite_creative_store.h"
#include "store/sqlite/sqlite_metadata_store.h"

namespace adloom {

class App final : public JobObserver {
 public:
  // Opens the data dir and stores and applies migrations; creates the default workspace.
  // Enough for commands that add to the library (import, KPIs): they enqueue indexing
  // jobs and leave them to serve/work, the only processes that open the vector index.
  static Result<std::unique_ptr<App>> open(const Config& config);
  ~App() override;

  // `adloom serve`: HTTP server + embedded workers until SIGTERM/SIGINT, then a graceful
  // stop. Prints "adloom listening on http://host:port" to stdout once ready.
  Status serve();
  // `adloom worker`: workers only, until SIGTERM/SIGINT.
  Status work();

  MetadataStore& store() { return *store_; }
  AssetStore& assets() { return *assets_; }
  LibraryService& library() { return *library_; }
  BrandService& brands() { return *brands_; }
  CampaignService& campaigns() { return *campaigns_; }
  // Valid after open_search() (serve, or a CLI search).
  SearchService& search() { return *search_; }
  JobQueue& jobs() { return *jobs_; }
  const Workspace& default_workspace() const { return default_workspace_; }

  void on_job_changed(const Job& job) override;

  // The engines of the four capabilities, built from the configuration (no network).
  Status open_models();
  // Valid after open_models() (or open_search(), serve, work).
  const ModelEngines& models() const { return *models_; }

  // For a command-line search beside a running server: open_search(), then the vector
  // index repaired in memory only (its files belong to serve, which flushes them every
  // 10 s; a search here sees what the store has).
  Status open_search_readonly();

 private:
  explicit App(const Config& config) : config_(config) {}
  std::unique_ptr<WorkerPool> make_worker_pool(const std::string& name);
  // The models, the vector index (repaired if needed) and the job handlers: what running
  // jobs needs. Called by serve() and work() only: the embedded index is one process's.
  Status open_indexing();
  // The campaign workflow: models, prompt, generation and review services, and the
  // generate_images job. After open_search().
  Status open_creative();
  // The embedder, the vector index as loaded from its files, and the search service.
  Status open_search();
  // Tells the operator to re-index when the workspace was embedded with another model.
  Status check_embedding_space(const RequestContext& ctx);
  // Rebuilds shards that failed to load or disagree with the store; `persist` flushes.
  Status repair_vector_index(bool persist);
  // Persists the vector index every 10 s until stopped (a crash loses at most that much,
  // and repair_vector_index() restores it from the store at the next start).
  void flush_loop(const std::stop_token& stop);
  // One orphan-blob sweep (services/blob_gc.h), logged; returns early when stopped.
  void sweep_orphans(const std::stop_token& stop);

  const Config& config_;
  SystemClock clock_;
  std::unique_ptr<sqlite::Database> db_;
  std::unique_ptr<SqliteMetadataStore> store_;
  std::unique_ptr<SqliteAssetStore> assets_;
  std::unique_ptr<BlobStore> blobs_;
  std::unique_ptr<ModelEngines> models_;  // the four capabilities' engines
  std::unique_ptr<FaissVectorIndex> vectors_;
  std::unique_ptr<LibraryService> library_;
  std::unique_ptr<SqliteBrandStore> brand_store_;
  std::unique_ptr<BrandService> brands_;
  std::unique_ptr<SqliteCampaignStore> campaign_store_;
  std::unique_ptr<CampaignService> campaigns_;
  std::unique_ptr<SqliteTextIndex> text_;
  std::unique_ptr<Catalogs> catalogs_;
  std::unique_ptr<SearchService> search_;
  std::unique_ptr<SqliteCreativeStore> creative_store_;
  std::unique_ptr<Provenance> provenance_;
  std::unique_ptr<PromptService> prompts_;
  std::unique_ptr<GenerationService> generations_;
  std::unique_ptr<ReviewService> reviews_;
  EventBus events_;
  std::unique_ptr<SqliteJobQueue> jobs_;
  HandlerRegistry handlers_;
  std::unique_ptr<WorkerPool> workers_;
  Metrics metrics_;
  Workspace default_workspace_;
  std::atomic<bool> draining_{false};
};

// Blocks SIGTERM and SIGINT in the calling thread (call before any thread starts, so every
// thread inherits the mask); wait_for_shutdown_signal() then takes the first one and lets
// a second one terminate the process.
void block_shutdown_signals();
int wait_for_shutdown_signal();

}  // namespace adloom
