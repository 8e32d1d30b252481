// The library through the real binary: upload with metadata and KPIs, the indexing jobs,
// analysis results, renditions with caching, duplicates, bad files and deletion.
#include <fstream>

#include <vips/vips8>

#include "api/api_fixture.h"
#include "support/image_corpus.h"

namespace adloom::testing {
namespace {

// Black text on an orange background, like a sale banner.
std::string banner_jpeg(const std::string& text) {
  auto mask = vips::VImage::text(
      text.c_str(), vips::VImage::option()->set("font", "DejaVu Sans Bold 64")->set("dpi", 72));
  auto bg = solid_image(mask.width() + 120, mask.height() + 120, {250, 140, 30});
  auto ink = solid_image(mask.width(), mask.height(), {10, 10, 10});
  auto glyphs = ink.bandjoin(mask);
  auto composed = bg.composite2(glyphs, VIPS_BLEND_MODE_OVER,
                                vips::VImage::option()->set("x", 60)->set("y", 60));
  return encode_image(composed.flatten(), ".jpg[Q=92]");
}

class AssetsApiTest : public ApiTest {
 protected:
  static void SetUpTestSuite() { ASSERT_EQ(VIPS_INIT("adloom-test"), 0); }
};

TEST_F(AssetsApiTest, UploadIndexesAndDescribesImages) {
  start();
  std::vector<FilePart> files = {
      {"banner.jpg", banner_jpeg("SUMMER SALE")},
      {"blue.png", encode_image(solid_image(640, 480, {20, 60, 200}), ".png")},
      {"green.webp", encode_image(solid_image(300, 600, {30, 160, 60}), ".webp")},
  };
  nlohmann::json metadata = {{"campaign",
                              {{"name", "Summer 2026"},
                               {"description", "Beach range launch"},
                               {"channel", "instagram"},
                               {"objective", "clicks"}}},
                             {"channel", "instagram"},
                             {"objective", "clicks"},
                             {"tags", {"summer", "beach"}},
                             {"kpis", {{"impressions", 10000}, {"clicks", 250}}}};
  auto r = upload(metadata, files);
  ASSERT_EQ(r.status, 201) << r.body;
  auto added = r.json()["assets"];
  ASSERT_EQ(added.size(), 3u);
  EXPECT_TRUE(r.json()["rejected"].empty());
  for (const auto& a : added) {
    EXPECT_FALSE(a["duplicate"]);
    EXPECT_TRUE(a["index_job"].is_string());
  }
  ASSERT_TRUE(wait_all_jobs_done());

  std::map<std::string, nlohmann::json> by_name;
  for (const auto& a : added) {
    auto got = client_->get("/api/v1/assets/" + a["id"].get<std::string>());
    ASSERT_EQ(got.status, 200);
    by_name[got.json()["original_name"]] = got.json();
  }
  for (const auto& [name, a] : by_name) {
    EXPECT_EQ(a["index_state"], "indexed") << name << ": " << a["index_error"];
    ASSERT_TRUE(a["analysis"].is_object()) << name;
    EXPECT_FALSE(a["analysis"]["colours"].empty()) << name;
    EXPECT_FALSE(a["auto_description"].get<std::string>().empty()) << name;
    EXPECT_EQ(a["analysis"]["engine"], "builtin");
    bool has_ctr = false;
    for (const auto& k : a["kpis"]) {
      if (k["metric"] == "ctr") {
        has_ctr = true;
        EXPECT_DOUBLE_EQ(k["value"].get<double>(), 0.025);
      }
    }
    EXPECT_TRUE(has_ctr) << "ctr is derived from impressions and clicks";
  }
  std::string ocr = by_name["banner.jpg"]["ocr_text"];
  EXPECT_NE(ocr.find("SUMMER SALE"), std::string::npos) << "OCR read: " << ocr;
  EXPECT_NE(by_name["blue.png"]["analysis"]["colours"][0]["name"].get<std::string>().find("blue"),
            std::string::npos);
  EXPECT_EQ(by_name["green.webp"]["analysis"]["orientation"], "portrait");
  EXPECT_EQ(by_name["blue.png"]["mime"], "image/png");

  // Renditions: JPEG, cached by content hash.
  std::string id = by_name["blue.png"]["id"];
  auto thumb = client_->get("/api/v1/assets/" + id + "/content?rendition=thumb");
  ASSERT_EQ(thumb.status, 200);
  EXPECT_EQ(thumb.headers["content-type"], "image/jpeg");
  EXPECT_EQ(thumb.body.substr(0, 2), "\xFF\xD8");
  auto etag = thumb.headers["etag"];
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(
      client_->get("/api/v1/assets/" + id + "/content?rendition=thumb", {"If-None-Match: " + etag})
          .status,
      304);
  auto full = client_->get("/api/v1/assets/" + id + "/content?rendition=full");
  EXPECT_EQ(full.headers["content-type"], "image/png");
  EXPECT_EQ(full.body, files[1].bytes);
  EXPECT_EQ(client_->get("/api/v1/assets/" + id + "/content?rendition=huge").status, 400);

  // The same bytes again: a duplicate, not a new asset.
  auto again = upload(metadata, {files[1]});
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_TRUE(again.json()["assets"][0]["duplicate"]);
  EXPECT_EQ(again.json()["assets"][0]["id"], id);
  EXPECT_EQ(client_->get("/api/v1/assets").json()["assets"].size(), 3u);
  EXPECT_EQ(client_->get("/api/v1/assets?tag=summer&channel=instagram").json()["assets"].size(),
            3u);
  EXPECT_EQ(client_->get("/api/v1/assets?channel=email").json()["assets"].size(), 0u);

  // Editing the metadata re-indexes the asset.
  auto patched = client_->request("PATCH", "/api/v1/assets/" + id,
                                  R"({"description":"Blue hero shot","tags":["hero"]})",
                                  {"Content-Type: application/json"});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()["description"], "Blue hero shot");
  EXPECT_EQ(patched.json()["tags"], nlohmann::json::array({"hero"}));
  EXPECT_EQ(patched.json()["channel"], "instagram") << "absent fields are kept";
  EXPECT_EQ(patched.json()["index_state"], "pending");
  ASSERT_TRUE(wait_all_jobs_done());
  EXPECT_EQ(client_->get("/api/v1/assets/" + id).json()["index_state"], "indexed");
  EXPECT_EQ(client_
                ->request("PATCH", "/api/v1/assets/" + id, R"({"colour":"red"})",
                          {"Content-Type: application/json"})
                .status,
            400);
  auto kpis = client_->request("PUT", "/api/v1/assets/" + id + "/kpis",
                               R"({"kpis":{"impressions":500,"clicks":50}})",
                               {"Content-Type: application/json"});
  ASSERT_EQ(kpis.status, 200) << kpis.body;
  bool found = false;
  const auto kpi_json = kpis.json();
  for (const auto& k : kpi_json["kpis"]) {
    if (k["metric"] == "ctr") found = k["value"].get<double>() == 0.1;
  }
  EXPECT_TRUE(found) << kpis.body;

  // Deletion.
  auto del = client_->request("DELETE", "/api/v1/assets/" + id, "", {});
  EXPECT_EQ(del.status, 204);
  EXPECT_EQ(client_->get("/api/v1/assets/" + id).status, 404);
}

// Peak resident memory of a process so far, in MiB (VmHWM in /proc/<pid>/status).
long peak_rss_mib(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  }
  return -1;
}

TEST_F(AssetsApiTest, BadFilesAreRejectedWithReasonsWhileGoodOnesImport) {
  start({"jobs.workers=0"});
  const std::string jpeg = encode_image(solid_image(200, 100, {200, 30, 30}), ".jpg");
  std::vector<FilePart> files;
  for (const auto& [name, bytes] : bad_image_files()) files.push_back({name, bytes});
  files.push_back({"good.jpg", jpeg});
  // Warm the server up with a good file first, so the peak below is what bad files add.
  ASSERT_EQ(upload(nlohmann::json::object(),
                   {{"warm.png", encode_image(solid_image(64, 64, {1, 2, 3}), ".png")}})
                .status,
            201);
  const long before = peak_rss_mib(server_->pid());

  auto r = upload({{"channel", "display"}}, files);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["assets"].size(), 1u);
  auto rejected = r.json()["rejected"];
  ASSERT_EQ(rejected.size(), 5u) << r.body;
  std::map<std::string, std::string> reasons;
  for (const auto& x : rejected) reasons[x["filename"]] = x["reason"];
  EXPECT_EQ(reasons["empty.jpg"], "empty file (0 bytes)");
  EXPECT_NE(reasons["truncated.jpg"].find("damaged or truncated JPEG"), std::string::npos)
      << reasons["truncated.jpg"];
  EXPECT_EQ(reasons["archive.jpg"], "not an image: looks like a ZIP archive");
  EXPECT_NE(reasons["bomb.png"].find("50000×50000 pixels"), std::string::npos)
      << reasons["bomb.png"];
  EXPECT_EQ(reasons["notes.jpg"], "not an image: looks like a text file");

  // A 50,000×50,000 RGB decode would need 7 GB; refused from its header, it costs nothing.
  const long after = peak_rss_mib(server_->pid());
  std::printf("[ memory ] server peak RSS %ld MiB before the bad files, %ld MiB after\n", before,
              after);
  EXPECT_LT(after - before, 64) << "the server's peak memory grew by " << after - before << " MiB";
}

TEST_F(AssetsApiTest, ReindexAllQueuesOneNewJobPerAssetEveryTime) {
  start({"jobs.workers=2"});
  auto r = upload({{"channel", "display"}},
                  {{"red.jpg", encode_image(solid_image(120, 80, {220, 30, 30}), ".jpg")},
                   {"blue.png", encode_image(solid_image(90, 90, {20, 40, 220}), ".png")}});
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_TRUE(wait_all_jobs_done());

  for (int run = 1; run <= 2; ++run) {
    auto reindex = client_->request("POST", "/api/v1/assets/reindex", "", {});
    ASSERT_EQ(reindex.status, 202) << reindex.body;
    EXPECT_EQ(reindex.json()["queued"], 2);
    ASSERT_TRUE(wait_all_jobs_done());
    const auto jobs = client_->get("/api/v1/jobs?limit=500").json()["jobs"];
    EXPECT_EQ(jobs.size(), 2u + 2u * run) << "every run queues fresh jobs";
    for (const auto& j : jobs) EXPECT_EQ(j["state"], "succeeded") << j.dump();
  }
  const auto assets = client_->get("/api/v1/assets").json()["assets"];
  ASSERT_EQ(assets.size(), 2u);
  for (const auto& a : assets) EXPECT_EQ(a["index_state"], "indexed") << a.dump();
}

TEST_F(AssetsApiTest, InvalidKpisAndMetadataAreRefused) {
  start({"jobs.workers=0"});
  std::string png = encode_image(solid_image(64, 64, {0, 0, 0}), ".png");
  auto neg = upload({{"kpis", {{"impressions", -5}}}}, {{"a.png", png}});
  EXPECT_EQ(neg.status, 400) << neg.body;
  auto over = upload({{"kpis", {{"impressions", 10}, {"clicks", 50}}}}, {{"a.png", png}});
  EXPECT_EQ(over.status, 400) << over.body;
  EXPECT_NE(over.json()["error"]["message"].get<std::string>().find("exceed"), std::string::npos);
  EXPECT_EQ(upload({{"tags", "not-a-list"}}, {{"a.png", png}}).status, 400);
  auto none = client_->request("POST", "/api/v1/assets", "x",
                               {"Content-Type: multipart/form-data; boundary=zz"});
  EXPECT_EQ(none.status, 400);
  auto wrong = client_->request("POST", "/api/v1/assets", "{}", {"Content-Type: application/json"});
  EXPECT_EQ(wrong.status, 415);
}

}  // namespace
}  // namespace adloom::testing
