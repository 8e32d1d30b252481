// `adloom import` through the real binary: a generated corpus of 1,000 images imported and
// then found again as duplicates; kill -9 in the middle of an import, then a re-run and the
// server's indexing (each image once, indexed once, no orphan blobs); bad files rejected
// with reasons; a CSV manifest with campaigns and KPIs.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <signal.h>

#include <sqlite3.h>

#include "api/api_fixture.h"
#include "support/image_corpus.h"

namespace adloom::testing {
namespace {

namespace fs = std::filesystem;

// One-column results of a read-only query on the server's database.
std::vector<std::string> query(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  std::vector<std::string> out;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    ADD_FAILURE() << "cannot open " << db_path;
    return out;
  }
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sqlite3_errmsg(db) << " in " << sql;
  } else {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(stmt, 0);
      out.emplace_back(text != nullptr ? reinterpret_cast<const char*>(text) : "");
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return out;
}

long count(const std::string& db_path, const std::string& sql) {
  const auto rows = query(db_path, sql);
  return rows.empty() ? -1 : std::stol(rows.front());
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

class ImportCliTest : public ApiTest {
 protected:
  std::string db() const { return data_dir() + "/adloom.db"; }

  // `adloom import` with this test's data dir; the JSON summary parsed.
  nlohmann::json import(const std::vector<std::string>& args, int expect_exit) {
    std::vector<std::string> argv = {"--set", "data_dir=" + data_dir(), "import"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.emplace_back("--json");
    const ProcessResult r = run_adloom(argv);
    EXPECT_EQ(r.exit_code, expect_exit) << r.err << r.out;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out << r.err;
    return j;
  }

  // Waits, woken by the server's job events, until `done()` holds.
  bool wait_for(const std::function<bool()>& done, long timeout_ms = 240000) {
    if (done()) return true;
    HttpClient events(server_->url());
    return events.stream_events(
        "/api/v1/events", [&](const std::string&, const std::string&) { return !done(); },
        timeout_ms);
  }

  // Every blob file under the store, by key; and every key the assets refer to.
  std::set<std::string> blob_files() const {
    std::set<std::string> keys;
    for (const auto& e : fs::recursive_directory_iterator(data_dir() + "/blobs/objects")) {
      if (e.is_regular_file()) keys.insert(e.path().filename().string());
    }
    return keys;
  }
  std::set<std::string> referenced_blobs() const {
    std::set<std::string> keys;
    for (const char* column : {"blob_key", "thumb_key", "preview_key"}) {
      for (auto& k : query(db(), std::string("SELECT ") + column + " FROM assets WHERE " + column +
                                     " IS NOT NULL")) {
        keys.insert(k);
      }
    }
    return keys;
  }
};

TEST_F(ImportCliTest, ImportsAThousandGeneratedImagesThenReportsThemAllAsDuplicates) {
  const std::string corpus = dir_.str() + "/corpus";
  CorpusOptions corpus_options;
  corpus_options.side = 192;
  corpus_options.text_every = 10;
  corpus_options.png_every = 9;
  ASSERT_EQ(write_image_corpus(corpus, 1000, corpus_options).size(), 1000u);

  const nlohmann::json first = import({corpus}, 0);
  EXPECT_EQ(first["files"], 1000);
  EXPECT_EQ(first["imported"], 1000);
  EXPECT_EQ(first["duplicates"], 0);
  EXPECT_TRUE(first["rejected"].empty()) << first.dump(2);
  EXPECT_EQ(first["index_jobs"], 1000);
  std::printf(
      "[ throughput ] first import: 1000 images in %.1f s = %.1f images/s (peak RSS %d MiB)\n",
      first["seconds"].get<double>(), first["images_per_second"].get<double>(),
      first["peak_rss_mib"].get<int>());
  EXPECT_EQ(count(db(), "SELECT count(*) FROM assets"), 1000);
  EXPECT_EQ(count(db(), "SELECT count(*) FROM jobs WHERE kind = 'index_asset'"), 1000);

  const nlohmann::json again = import({corpus}, 0);
  EXPECT_EQ(again["imported"], 0);
  EXPECT_EQ(again["duplicates"], 1000);
  EXPECT_TRUE(again["rejected"].empty());
  EXPECT_EQ(again["index_jobs"], 1000) << "the queued jobs are found again, not duplicated";
  std::printf("[ throughput ] re-run: 1000 duplicates in %.1f s = %.1f images/s\n",
              again["seconds"].get<double>(), again["images_per_second"].get<double>());
  EXPECT_EQ(count(db(), "SELECT count(*) FROM assets"), 1000);
  EXPECT_EQ(count(db(), "SELECT count(*) FROM jobs WHERE kind = 'index_asset'"), 1000);
}

TEST_F(ImportCliTest, KillDashNineMidImportThenRerunGivesEachImageOnceIndexedOnce) {
  constexpr int kImages = 500;
  const std::string corpus = dir_.str() + "/corpus";
  CorpusOptions corpus_options;
  corpus_options.side = 128;
  corpus_options.seed = 2;
  ASSERT_EQ(write_image_corpus(corpus, kImages, corpus_options).size(),
            static_cast<std::size_t>(kImages));

  // Progress goes to stderr a line per tenth; the kill lands after 30% with files in flight.
  const SignalledRun killed =
      run_adloom_until({"--set", "data_dir=" + data_dir(), "import", corpus, "--threads", "2"},
                       "150/500 [", SIGKILL);
  ASSERT_TRUE(killed.marker_seen) << killed.result.err;
  ASSERT_EQ(killed.result.exit_code, -SIGKILL) << killed.result.err;
  const long before = count(db(), "SELECT count(*) FROM assets");
  EXPECT_GE(before, 150);
  EXPECT_LT(before, kImages) << "the kill came too late to test anything";

  const nlohmann::json rerun = import({corpus}, 0);
  EXPECT_EQ(rerun["imported"].get<int>() + rerun["duplicates"].get<int>(), kImages);
  EXPECT_EQ(rerun["imported"].get<int>(), kImages - before);
  EXPECT_EQ(count(db(), "SELECT count(*) FROM assets"), kImages);

  // The server indexes what the imports queued.
  start({"jobs.workers=2", "jobs.poll_ms=50"});
  const std::string finished =
      "SELECT count(*) FROM jobs WHERE kind = 'index_asset' AND state IN "
      "('succeeded', 'failed', 'dead', 'canceled')";
  ASSERT_TRUE(wait_for([&] { return count(db(), finished) >= kImages; }))
      << count(db(), finished) << " jobs finished";

  EXPECT_EQ(count(db(), "SELECT count(*) FROM assets"), kImages);
  EXPECT_EQ(count(db(), "SELECT count(DISTINCT sha256) FROM assets"), kImages);
  EXPECT_EQ(count(db(), "SELECT count(*) FROM assets WHERE index_state = 'indexed'"), kImages);
  // One indexing job per asset, each succeeded once.
  EXPECT_EQ(count(db(), "SELECT count(*) FROM jobs WHERE kind = 'index_asset'"), kImages);
  EXPECT_EQ(count(db(),
                  "SELECT count(*) FROM jobs WHERE kind = 'index_asset' AND state = "
                  "'succeeded'"),
            kImages);
  EXPECT_EQ(count(db(),
                  "SELECT count(DISTINCT json_extract(payload, '$.asset_id')) FROM jobs "
                  "WHERE kind = 'index_asset'"),
            kImages);
  EXPECT_EQ(count(db(), "SELECT count(*) FROM asset_embeddings"), kImages);

  // No orphan blobs: every stored object belongs to an asset, and every asset's are there.
  const std::set<std::string> files = blob_files();
  const std::set<std::string> referenced = referenced_blobs();
  std::vector<std::string> orphans;
  std::set_difference(files.begin(), files.end(), referenced.begin(), referenced.end(),
                      std::back_inserter(orphans));
  EXPECT_TRUE(orphans.empty()) << orphans.size() << " orphan blobs, e.g. " << orphans.front();
  std::vector<std::string> missing;
  std::set_difference(referenced.begin(), referenced.end(), files.begin(), files.end(),
                      std::back_inserter(missing));
  EXPECT_TRUE(missing.empty()) << missing.size() << " missing blobs";
  EXPECT_TRUE(fs::is_empty(data_dir() + "/blobs/tmp")) << "partial writes left behind";
}

TEST_F(ImportCliTest, CtrlCStopsBetweenFilesWithASummaryAndTheRerunFinishes) {
  const std::string corpus = dir_.str() + "/corpus";
  CorpusOptions corpus_options;
  corpus_options.side = 128;
  corpus_options.seed = 3;
  write_image_corpus(corpus, 200, corpus_options);
  const SignalledRun stopped = run_adloom_until(
      {"--set", "data_dir=" + data_dir(), "import", corpus, "--threads", "1"}, "40/200 [", SIGINT);
  ASSERT_TRUE(stopped.marker_seen) << stopped.result.err;
  EXPECT_EQ(stopped.result.exit_code, 130) << stopped.result.out << stopped.result.err;
  EXPECT_NE(stopped.result.out.find("Interrupted after "), std::string::npos) << stopped.result.out;
  EXPECT_NE(stopped.result.out.find("Run the same command again to import the rest."),
            std::string::npos)
      << stopped.result.out;
  const long imported = count(db(), "SELECT count(*) FROM assets");
  EXPECT_GE(imported, 40);
  EXPECT_LT(imported, 200);

  const nlohmann::json rest = import({corpus}, 0);
  EXPECT_EQ(rest["duplicates"], imported);
  EXPECT_EQ(rest["imported"], 200 - imported);
}

TEST_F(ImportCliTest, BadFilesAreRejectedWithReasonsWhileGoodOnesImport) {
  const std::string corpus = dir_.str() + "/corpus";
  write_image_corpus(corpus + "/good", 3);
  fs::create_directories(corpus + "/bad");
  for (const auto& [name, bytes] : bad_image_files()) write_file(corpus + "/bad/" + name, bytes);
  fs::create_directories(corpus + "/.thumbnails");  // hidden: never imported
  write_file(corpus + "/.thumbnails/x.jpg", "not read");

  const nlohmann::json r = import({corpus}, 1);
  EXPECT_EQ(r["files"], 8);
  EXPECT_EQ(r["imported"], 3);
  std::map<std::string, std::string> reasons;
  for (const auto& x : r["rejected"]) reasons[x["file"]] = x["reason"];
  ASSERT_EQ(reasons.size(), 5u) << r.dump(2);
  EXPECT_EQ(reasons["bad/empty.jpg"], "empty file (0 bytes)");
  EXPECT_NE(reasons["bad/truncated.jpg"].find("damaged or truncated JPEG"), std::string::npos)
      << reasons["bad/truncated.jpg"];
  EXPECT_EQ(reasons["bad/archive.jpg"], "not an image: looks like a ZIP archive");
  EXPECT_NE(reasons["bad/bomb.png"].find("50000×50000 pixels"), std::string::npos)
      << reasons["bad/bomb.png"];
  EXPECT_EQ(reasons["bad/notes.jpg"], "not an image: looks like a text file");
  // The bomb is refused from its header: the importer never came near 10 GB.
  EXPECT_LT(r["peak_rss_mib"].get<int>(), 1024);
  EXPECT_EQ(count(db(), "SELECT count(*) FROM assets"), 3);
}

TEST_F(ImportCliTest, AManifestGivesCampaignsDescriptionsTagsAndKpis) {
  const std::string corpus = dir_.str() + "/corpus";
  const auto names = write_image_corpus(corpus, 3);
  const std::string manifest = dir_.str() + "/manifest.csv";
  write_file(manifest, "file,campaign,channel,description,tags,period,impressions,clicks\n" +
                           names[0] +
                           ",Summer Sale,instagram,Beach towels,summer;beach,2026-Q3,1000,50\n" +
                           names[1] + ",Summer Sale,instagram,Sun hats,summer | hats,,2000,\n" +
                           names[2] + ",Winter,display,Scarves,,,12x,\n" +
                           "missing.jpg,Winter,display,,,,,\n" + "../escape.jpg,,,,,,,\n");
  const nlohmann::json r = import({corpus, "--manifest", manifest}, 1);
  EXPECT_EQ(r["files"], 5);
  EXPECT_EQ(r["imported"], 2);
  std::map<std::string, std::string> reasons;
  for (const auto& x : r["rejected"]) reasons[x["file"]] = x["reason"];
  ASSERT_EQ(reasons.size(), 3u) << r.dump(2);
  EXPECT_EQ(reasons[names[2]], "manifest row 4: impressions: '12x' is not a number");
  EXPECT_EQ(reasons["missing.jpg"], "file not found");
  EXPECT_EQ(reasons["../escape.jpg"], "file '../escape.jpg' is outside the import folder");

  EXPECT_EQ(query(db(), "SELECT name FROM campaigns"), std::vector<std::string>{"Summer Sale"});
  EXPECT_EQ(query(db(), "SELECT channel FROM assets ORDER BY description"),
            (std::vector<std::string>{"instagram", "instagram"}));
  EXPECT_EQ(query(db(), "SELECT description FROM assets ORDER BY description"),
            (std::vector<std::string>{"Beach towels", "Sun hats"}));
  EXPECT_EQ(query(db(), "SELECT tags FROM assets WHERE description = 'Sun hats'"),
            std::vector<std::string>{R"(["summer","hats"])"});
  // Row 2: impressions and clicks, with ctr derived, for the period; row 3: impressions.
  EXPECT_EQ(query(db(),
                  "SELECT metric || '=' || value || '@' || period FROM asset_kpis "
                  "ORDER BY value"),
            (std::vector<std::string>{"ctr=0.05@2026-Q3", "clicks=50.0@2026-Q3",
                                      "impressions=1000.0@2026-Q3", "impressions=2000.0@"}));
}

}  // namespace
}  // namespace adloom::testing
