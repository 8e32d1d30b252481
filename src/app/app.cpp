#include "app/app.h"

#include <algorithm>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "api/asset_json.h"
#include "api/errors.h"
#include "blob/fs/fs_blob_store.h"
#include "jobs/generate_images.h"
#include "jobs/import_job.h"
#include "jobs/index_asset.h"
#include "services/blob_gc.h"

namespace adloom {

void block_shutdown_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int wait_for_shutdown_signal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  sigwait(&set, &sig);
  // A second signal during the graceful stop ends the process at once (default action):
  // this thread unblocks them, so the kernel delivers them here.
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGINT, SIG_DFL);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
  return sig;
}

Result<std::unique_ptr<App>> App::open(const Config& config) {
  auto app = std::unique_ptr<App>(new App(config));
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  if (ec) {
    return unavailable("cannot create data_dir '" + config.data_dir + "': " + ec.message());
  }
  ADLOOM_ASSIGN(app->db_, sqlite::Database::open({config.sqlite_path(),
                                                  static_cast<int>(config.store_busy_timeout_ms)}));
  app->store_ = std::make_unique<SqliteMetadataStore>(*app->db_, app->clock_);
  ADLOOM_ASSIGN(auto applied, app->store_->migrate());
  for (int v : applied) spdlog::info("event=migration_applied version={}", v);
  ADLOOM_ASSIGN(app->default_workspace_,
                app->store_->ensure_default_workspace(config.workspace_default_name));
  ADLOOM_ASSIGN(app->blobs_, FsBlobStore::open_at(config.blob_root()));
  app->assets_ = std::make_unique<SqliteAssetStore>(*app->db_, app->clock_);

  ADLOOM_TRY(init_imaging());
  JobQueueOptions qopts;
  qopts.lease_ms = config.jobs_lease_ms;
  qopts.default_max_attempts = static_cast<int>(config.jobs_max_attempts);
  qopts.backoff = BackoffPolicy{config.jobs_backoff_base_ms, config.jobs_backoff_max_ms};
  app->jobs_ = std::make_unique<SqliteJobQueue>(*app->db_, app->clock_, qopts, app.get());
  LibraryOptions lopts;
  lopts.limits.max_bytes = static_cast<std::uint64_t>(config.library_max_image_bytes);
  lopts.limits.max_pixels = static_cast<std::uint64_t>(config.library_max_image_pixels);
  app->library_ = std::make_unique<LibraryService>(*app->assets_, *app->blobs_, *app->jobs_, lopts);
  app->brand_store_ = std::make_unique<SqliteBrandStore>(*app->db_, app->clock_);
  app->brands_ = std::make_unique<BrandService>(*app->brand_store_, *app->assets_);
  app->campaign_store_ = std::make_unique<SqliteCampaignStore>(*app->db_, app->clock_);
  app->campaigns_ = std::make_unique<CampaignService>(*app->campaign_store_, *app->brand_store_);
  app->metrics_.set_job_counts_source([queue = app->jobs_.get()] {
    std::map<std::string, double> out;
    for (auto s : {JobState::kQueued, JobState::kRunning, JobState::kSucceeded, JobState::kFailed,
                   JobState::kDead, JobState::kCanceled}) {
      out[std::string(job_state_name(s))] = 0;
    }
    if (auto counts = queue->count_by_state()) {
      for (const auto& [state, n] : *counts)
        out[std::string(job_state_name(state))] = static_cast<double>(n);
    }
    return out;
  });
  return app;
}

Status App::open_models() {
  if (models_) return Status::ok();
  // Meta-prompt templates live in the data folder, where people can edit them; missing
  // files are written from the built-in defaults, edited ones are kept.
  ADLOOM_ASSIGN(models_,
                build_model_engines(config_, environment_map(), config_.data_dir + "/templates"));
  for (const EngineInfo& e : models_->engines) {
    spdlog::info("event=model_engine capability={} provider={} model={}", e.capability, e.provider,
                 e.model);
  }
  return Status::ok();
}

Status App::open_search() {
  if (search_) return Status::ok();
  ADLOOM_TRY(open_models());
  Embedder& embedder = *models_->embedder;
  ADLOOM_ASSIGN(vectors_,
                FaissVectorIndex::open(config_.data_dir + "/vectors", embedder.dimension()));
  text_ = std::make_unique<SqliteTextIndex>(*db_);
  catalogs_ = std::make_unique<Catalogs>(*assets_);
  SearchOptions options;
  options.limits.max_bytes = static_cast<std::uint64_t>(config_.library_max_image_bytes);
  options.limits.max_pixels = static_cast<std::uint64_t>(config_.library_max_image_pixels);
  search_ = std::make_unique<SearchService>(*assets_, *catalogs_, *vectors_, *text_, embedder,
                                            clock_, options);
  return Status::ok();
}

Status App::open_search_readonly() {
  ADLOOM_TRY(open_search());
  return repair_vector_index(false);
}

Status App::open_indexing() {
  ADLOOM_TRY(open_search());
  register_builtin_handlers(handlers_);
  handlers_["index_asset"] = std::make_unique<IndexAssetHandler>(
      *assets_, *blobs_, *models_->analyser, *models_->embedder, *vectors_,
      IndexAssetHandler::Options{config_.library_ocr});
  ImportJobHandler::Options import_options;
  import_options.staging_root = config_.staging_root();
  import_options.import.threads = 1;  // beside the other workers: one file at a time
  import_options.import.max_file_bytes =
      static_cast<std::uint64_t>(config_.library_max_image_bytes);
  handlers_["import"] =
      std::make_unique<ImportJobHandler>(*library_, *blobs_, read_manifest, import_options);
  ADLOOM_TRY(open_creative());
  return repair_vector_index(true);
}

Status App::open_creative() {
  provenance_ = std::make_unique<XmpProvenance>();
  creative_store_ = std::make_unique<SqliteCreativeStore>(*db_, clock_);
  prompts_ =
      std::make_unique<PromptService>(*campaign_store_, *brand_store_, *assets_, *creative_store_,
                                      *search_, *models_->text, *models_->image);
  generations_ = std::make_unique<GenerationService>(*campaign_store_, *assets_, *creative_store_,
                                                     *jobs_, *models_->image);
  reviews_ =
      std::make_unique<ReviewService>(*creative_store_, *campaign_store_, *blobs_, *library_);
  IntakeLimits limits;
  limits.max_bytes = static_cast<std::uint64_t>(config_.library_max_image_bytes);
  limits.max_pixels = static_cast<std::uint64_t>(config_.library_max_image_pixels);
  handlers_["generate_images"] = std::make_unique<GenerateImagesHandler>(
      *creative_store_, *campaign_store_, *brand_store_, *assets_, *blobs_, *models_->image,
      *provenance_, limits);
  return Status::ok();
}

// The vector index is a cache of the embeddings in the metadata store. A shard that could
// not be loaded, or whose size disagrees with the stored embeddings (a crash before its
// last flush), is rebuilt from the store before anything searches it.
Status App::repair_vector_index(bool persist) {
  ADLOOM_ASSIGN(auto workspaces, store_->list_workspaces());
  for (const auto& ws : workspaces) {
    auto ctx = RequestContext::system(ws.id, "startup");
    ADLOOM_TRY(check_embedding_space(ctx));
    // Counting first keeps a healthy start cheap: vectors are read only to rebuild.
    ADLOOM_ASSIGN(std::int64_t stored,
                  assets_->count_embeddings(ctx, models_->embedder->model_id()));
    const auto indexed = static_cast<std::int64_t>(vectors_->size(ws.id));
    if (!vectors_->needs_rebuild(ws.id) && indexed == stored) {
      spdlog::info("event=vector_index_loaded workspace={} vectors={}", ws.id, indexed);
      continue;
    }
    spdlog::warn("event=vector_index_rebuild workspace={} stored={} indexed={}", ws.id, stored,
                 indexed);
    ADLOOM_ASSIGN(auto embeddings, assets_->list_embeddings(ctx, models_->embedder->model_id()));
    ADLOOM_TRY(vectors_->clear(ws.id));
    constexpr std::size_t kBatch = 4096;
    for (std::size_t start = 0; start < embeddings.size(); start += kBatch) {
      std::vector<std::int64_t> labels;
      std::vector<float> batch;
      for (std::size_t i = start; i < std::min(start + kBatch, embeddings.size()); ++i) {
        labels.push_back(embeddings[i].first);
        batch.insert(batch.end(), embeddings[i].second.begin(), embeddings[i].second.end());
      }
      ADLOOM_TRY(vectors_->upsert_batch(ws.id, labels, batch));
    }
  }
  return persist ? vectors_->flush() : Status::ok();
}

// Vectors of different embedding models never mix: the index holds the configured model's
// only. When the library was embedded with another model, search would silently miss those
// assets, so the operator is told what to run, in the log and in
// GET /api/v1/models.
Status App::check_embedding_space(const RequestContext& ctx) {
  ADLOOM_ASSIGN(auto models, assets_->embedding_models(ctx));
  const std::string current = models_->embedder->model_id();
  std::int64_t other = 0;
  std::string others;
  for (const auto& [model, n] : models) {
    if (model == current) continue;
    other += n;
    others += fmt::format("{}{} ({})", others.empty() ? "" : ", ", model, n);
  }
  const std::int64_t here = models.count(current) > 0 ? models.at(current) : 0;
  if (other <= here) return Status::ok();
  const std::string notice = fmt::format(
      "the library of workspace {} was embedded with {}, not the configured {} ({} of its "
      "assets are searchable): run `adloom reindex` to embed it again",
      ctx.workspace_id, others, current, here);
  spdlog::warn(
      "event=embedding_model_changed workspace={} configured={} stored=\"{}\" "
      "action=\"{}\"",
      ctx.workspace_id, current, others, notice);
  for (EngineInfo& e : models_->engines) {
    if (e.capability == "embed") e.notice = notice;
  }
  return Status::ok();
}

void App::sweep_orphans(const std::stop_token& stop) {
  // Blobs left unreferenced by a crash, an hour old or more (see services/blob_gc.h).
  constexpr TimeMs kOrphanMinAgeMs = TimeMs{60} * 60 * 1000;
  auto sweep = sweep_orphan_blobs(*assets_, *blobs_, clock_.now_ms(), kOrphanMinAgeMs, stop);
  if (sweep) {
    spdlog::info("event=orphan_blob_sweep seen={} removed={}", sweep->seen, sweep->removed);
  } else if (sweep.status().code() != ErrorCode::kCancelled) {
    spdlog::error("event=orphan_blob_sweep_failed error=\"{}\"", sweep.status().to_string());
  }
}

void App::flush_loop(const std::stop_token& stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  while (!stop.stop_requested()) {
    std::unique_lock lock(mu);
    cv.wait_for(lock, stop, std::chrono::seconds(10), [] { return false; });
    if (Status st = vectors_->flush(); !st.is_ok()) {
      spdlog::error("event=vector_flush_failed error=\"{}\"", st.to_string());
    }
  }
}

App::~App() {
  if (workers_) workers_->stop();
}

void App::on_job_changed(const Job& job) {
  events_.on_job_changed(job);
  if (generations_ && (job.state == JobState::kCanceled || job.state == JobState::kDead)) {
    if (Status st = generations_->job_ended(job); !st.is_ok()) {
      spdlog::error("event=generation_end_failed job_id={} error=\"{}\"", job.id, st.to_string());
    }
  }
  if (job.state == JobState::kQueued && workers_) workers_->wake();
}

std::unique_ptr<WorkerPool> App::make_worker_pool(const std::string& name) {
  WorkerPoolOptions opts;
  opts.workers = static_cast<int>(config_.jobs_workers);
  opts.lease_ms = config_.jobs_lease_ms;
  opts.poll_ms = config_.jobs_poll_ms;
  opts.name = name;
  return std::make_unique<WorkerPool>(*jobs_, handlers_, opts);
}

Status App::serve() {
  ADLOOM_TRY(open_indexing());
  block_shutdown_signals();  // before the first thread, so every thread inherits the mask
  ApiDeps deps{config_,
               *store_,
               *jobs_,
               events_,
               metrics_,
               *assets_,
               *blobs_,
               *vectors_,
               *library_,
               *search_,
               *brands_,
               *campaigns_,
               *prompts_,
               *generations_,
               *reviews_,
               models_->engines,
               default_workspace_.id,
               [this] { workers_->wake(); },
               &draining_};
  ApiAdapter adapter(deps);

  HttpServerOptions hopts;
  hopts.host = config_.server_host;
  hopts.port = static_cast<std::uint16_t>(config_.server_port);
  hopts.io_threads = static_cast<int>(config_.server_io_threads);
  hopts.handler_threads = static_cast<int>(config_.server_handler_threads);
  hopts.max_body_bytes = static_cast<std::uint64_t>(config_.server_max_body_bytes);
  hopts.max_upload_bytes = static_cast<std::uint64_t>(config_.server_max_upload_bytes);
  hopts.read_timeout_ms = static_cast<int>(config_.server_read_timeout_ms);
  hopts.shutdown_grace_ms = static_cast<int>(config_.server_shutdown_grace_ms);
  HttpServer server(
      hopts, [&adapter](HttpRequest& req) { return adapter.handle(req); },
      [&adapter](const HttpRequest& req, const HttpResponse& resp, double s) {
        adapter.observe(req, resp, s);
      },
      [](const Status& st, const std::string& rid) { return error_response(st, rid); });
  workers_ = make_worker_pool("serve");  // before any thread can call on_job_changed
  ADLOOM_TRY(server.start());
  workers_->start();
  std::jthread flusher([this](const std::stop_token& st) { flush_loop(st); });
  // Once, in the background: start-up does not wait for a walk over every blob.
  std::jthread sweeper([this](const std::stop_token& st) { sweep_orphans(st); });
  spdlog::info("event=started mode=serve port={} workers={} data_dir={} workspace={}",
               server.port(), config_.jobs_workers, config_.data_dir, default_workspace_.id);
  std::printf("adloom listening on http://%s:%u\n", config_.server_host.c_str(),
              static_cast<unsigned>(server.port()));
  std::fflush(stdout);

  int sig = wait_for_shutdown_signal();
  spdlog::info("event=shutdown_started signal={}", sig);
  sweeper.request_stop();
  draining_ = true;
  events_.close_all();
  server.stop();
  workers_->stop();
  if (Status st = vectors_->flush(); !st.is_ok()) {
    spdlog::error("event=vector_flush_failed error=\"{}\"", st.to_string());
  }
  spdlog::info("event=shutdown_complete");
  return Status::ok();
}

Status App::work() {
  if (config_.jobs_workers < 1) {
    return invalid_argument("jobs.workers must be at least 1 for adloom worker");
  }
  ADLOOM_TRY(open_indexing());
  block_shutdown_signals();  // before the first thread, so every thread inherits the mask
  workers_ = make_worker_pool("worker");
  workers_->start();
  std::jthread flusher([this](const std::stop_token& st) { flush_loop(st); });
  spdlog::info("event=started mode=worker workers={} data_dir={}", config_.jobs_workers,
               config_.data_dir);
  std::printf("adloom worker running with %lld threads\n",
              static_cast<long long>(config_.jobs_workers));
  std::fflush(stdout);
  int sig = wait_for_shutdown_signal();
  spdlog::info("event=shutdown_started signal={}", sig);
  workers_->stop();
  if (Status st = vectors_->flush(); !st.is_ok()) {
    spdlog::error("event=vector_flush_failed error=\"{}\"", st.to_string());
  }
  spdlog::info("event=shutdown_complete");
  return Status::ok();
}

}  // namespace adloom
