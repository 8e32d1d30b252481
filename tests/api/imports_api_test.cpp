// POST /api/v1/imports through the real binary: an archive with a manifest, and a manifest
// with its files, each imported by a job whose result is the summary.
#include <archive.h>
#include <archive_entry.h>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/api_fixture.h"
#include "support/image_corpus.h"

namespace adloom::testing {
namespace {

namespace fs = std::filesystem;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A ZIP archive in memory holding `entries` (path -> bytes), in order.
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& entries) {
  std::string out(8 << 20, '\0');
  std::size_t used = 0;
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  archive_write_open_memory(a, out.data(), out.size(), &used);
  for (const auto& [name, bytes] : entries) {
    archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_size(e, static_cast<la_int64_t>(bytes.size()));
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_write_header(a, e);
    archive_write_data(a, bytes.data(), bytes.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  out.resize(used);
  return out;
}

struct Part {
  std::string name;
  std::string filename;
  std::string bytes;
};

class ImportsApiTest : public ApiTest {
 protected:
  HttpResult post(const std::vector<Part>& parts) {
    const std::string boundary = "adloom-import-boundary-51c2";
    std::string body;
    for (const auto& p : parts) {
      body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + p.name + "\"";
      if (!p.filename.empty()) body += "; filename=\"" + p.filename + "\"";
      body += "\r\n\r\n" + p.bytes + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return client_->request("POST", "/api/v1/imports", body,
                            {"Content-Type: multipart/form-data; boundary=" + boundary});
  }

  // The finished import job's result.
  nlohmann::json finish(const HttpResult& r) {
    EXPECT_EQ(r.status, 202) << r.body;
    const std::string job = r.json()["job"]["id"];
    EXPECT_TRUE(wait_job(job, {"succeeded", "dead"}));
    const auto j = client_->get("/api/v1/jobs/" + job).json();
    EXPECT_EQ(j["state"], "succeeded") << j.dump(2);
    return j["result"];
  }

  std::map<std::string, std::string> reasons(const nlohmann::json& result) {
    std::map<std::string, std::string> out;
    for (const auto& x : result["rejected"]) out[x["file"]] = x["reason"];
    return out;
  }
};

TEST_F(ImportsApiTest, AnArchiveWithAManifestIsImportedByAJob) {
  start({"jobs.workers=2"});
  const std::string corpus = dir_.str() + "/corpus";
  const auto names = write_image_corpus(corpus, 2);
  const auto bad = bad_image_files();
  const std::string zip = make_zip({
      {"manifest.csv", "file,campaign,impressions,clicks\n" + names[0] + ",Spring,1000,40\n" +
                           "photos/" + names[1] + ",Spring,,\nbad/empty.jpg,,,\n"},
      {names[0], read_file(corpus + "/" + names[0])},
      {"photos/" + names[1], read_file(corpus + "/" + names[1])},
      {"bad/empty.jpg", bad.at("empty.jpg")},
      {"notes.txt", "not listed in the manifest: ignored"},
      {"../evil.jpg", read_file(corpus + "/" + names[0])},
  });
  const auto result = finish(post({{"archive", "spring.zip", zip}}));
  EXPECT_EQ(result["imported"], 2) << result.dump(2);
  EXPECT_EQ(result["duplicates"], 0);
  EXPECT_EQ(result["files"], 4);
  auto why = reasons(result);
  ASSERT_EQ(why.size(), 2u) << result.dump(2);
  EXPECT_EQ(why["bad/empty.jpg"], "empty file (0 bytes)");
  EXPECT_EQ(why["../evil.jpg"], "file '../evil.jpg' is outside the import folder");

  const auto assets = client_->get("/api/v1/assets").json()["assets"];
  ASSERT_EQ(assets.size(), 2u);
  bool found_kpis = false;
  for (const auto& a : assets) {
    for (const auto& k : a["kpis"])
      found_kpis = found_kpis || (k["metric"] == "ctr" && k["value"] == 0.04);
  }
  EXPECT_TRUE(found_kpis) << assets.dump(2);
  // Nothing staged is left behind, and the archive itself is gone from the blob store.
  EXPECT_TRUE(fs::is_empty(data_dir() + "/imports"));
  int blobs = 0;
  for (const auto& e : fs::recursive_directory_iterator(data_dir() + "/blobs/objects")) {
    blobs += e.is_regular_file() ? 1 : 0;
  }
  EXPECT_EQ(blobs, 4) << "two originals (each its own preview) and two thumbnails";

  // The same archive again: everything is a duplicate.
  const auto again = finish(post({{"archive", "spring.zip", zip}}));
  EXPECT_EQ(again["imported"], 0);
  EXPECT_EQ(again["duplicates"], 2);
}

TEST_F(ImportsApiTest, AJsonManifestWithItsFilesIsImportedByAJob) {
  start({"jobs.workers=1"});
  const std::string corpus = dir_.str() + "/corpus";
  const auto names = write_image_corpus(corpus, 2);
  const nlohmann::json manifest = nlohmann::json::array(
      {{{"file", names[0]}, {"description", "Red boots"}, {"tags", {"boots"}}},
       {{"file", names[1]}, {"kpis", {{"impressions", -5}}}},
       {{"file", "never-sent.jpg"}}});
  const auto result = finish(post({{"manifest", "manifest.json", manifest.dump()},
                                   {"file", names[0], read_file(corpus + "/" + names[0])},
                                   {"file", names[1], read_file(corpus + "/" + names[1])},
                                   {"campaign", "", "Autumn"}}));
  EXPECT_EQ(result["imported"], 1) << result.dump(2);
  auto why = reasons(result);
  ASSERT_EQ(why.size(), 2u) << result.dump(2);
  EXPECT_NE(why[names[1]].find("impressions"), std::string::npos) << why[names[1]];
  EXPECT_EQ(why["never-sent.jpg"], "file not found");
  const auto assets = client_->get("/api/v1/assets").json()["assets"];
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(assets[0]["description"], "Red boots");
  EXPECT_TRUE(assets[0]["campaign_id"].is_string()) << "the default campaign" << assets[0].dump(2);
}

TEST_F(ImportsApiTest, NothingToImportIsRefusedAndABadArchiveFailsWithAReason) {
  start({"jobs.workers=1"});
  auto r = post({{"campaign", "", "Autumn"}});
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("send an 'archive' part"), std::string::npos) << r.body;

  // The archive is read by the job, which fails at once (not retried) with the reason.
  auto not_zip = post({{"archive", "x.zip", "this is not an archive"}});
  ASSERT_EQ(not_zip.status, 202) << not_zip.body;
  const std::string job = not_zip.json()["job"]["id"];
  ASSERT_TRUE(wait_job(job, {"succeeded", "dead"}));
  const auto j = client_->get("/api/v1/jobs/" + job).json();
  EXPECT_EQ(j["state"], "dead");
  EXPECT_EQ(j["attempts"], 1);
  EXPECT_NE(j["last_error"].dump().find("not a readable archive"), std::string::npos) << j.dump(2);
}

}  // namespace
}  // namespace adloom::testing
