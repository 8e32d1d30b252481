// The generate_images job against real stores with a scripted image model: refusals and
// failures are recorded per image with their reason, transient errors are retried by the
// queue and recorded only on the last attempt, a re-run never makes a slot twice, and the
// campaign follows (in_review when something was made, draft when nothing was).
#include <map>

#include <nlohmann/json.hpp>

#include "blob/fs/fs_blob_store.h"
#include "imaging/image.h"
#include "integration/library_db_fixture.h"
#include "jobs/generate_images.h"
#include "services/generation_service.h"
#include "store/sqlite/sqlite_brand_store.h"
#include "store/sqlite/sqlite_campaign_store.h"
#include "store/sqlite/sqlite_creative_store.h"
#include "support/image_corpus.h"

namespace adloom::testing {
namespace {

// Answers by seed: listed seeds refuse, fail for good or fail transiently; others make a
// small PNG whose colour follows the seed.
class ScriptedModel final : public ImageModel {
 public:
  std::map<std::uint64_t, Status> script;
  int calls = 0;

  std::string name() const override { return "scripted"; }
  const ImageModelLimits& limits() const override {
    static const ImageModelLimits kLimits = [] {
      ImageModelLimits l;
      l.max_prompt_chars = 1000;
      l.max_seed = UINT64_MAX;
      return l;
    }();
    return kLimits;
  }
  Result<GeneratedImage> generate(const ImageRequest& r, const ModelCall&) override {
    ++calls;
    if (const auto it = script.find(r.seed); it != script.end()) return it->second;
    const double v = static_cast<double>(r.seed % 200);
    return GeneratedImage{encode_image(solid_image(r.width, r.height, {v, 255 - v, 90}), ".png"),
                          "image/png", r.width, r.height, "scripted:v1"};
  }
};

class GenerationTest : public LibraryDbTest {
 protected:
  static void SetUpTestSuite() { ASSERT_TRUE(init_imaging().is_ok()); }

  void SetUp() override {
    LibraryDbTest::SetUp();
    campaigns_ = std::make_unique<SqliteCampaignStore>(*db_, clock_);
    brands_ = std::make_unique<SqliteBrandStore>(*db_, clock_);
    creative_ = std::make_unique<SqliteCreativeStore>(*db_, clock_);
    auto blobs = FsBlobStore::open_at(dir_.str() + "/blobs");
    ASSERT_TRUE(blobs.is_ok());
    blobs_ = std::move(blobs).value();
    handler_ = std::make_unique<GenerateImagesHandler>(
        *creative_, *campaigns_, *brands_, *store_, *blobs_, model_, provenance_, IntakeLimits{});
    CampaignFields fields;
    fields.name = "Lamps";
    auto c = campaigns_->create_campaign(ctx_, fields, CampaignPlan{"Desk lamp", "", "", "", {}});
    ASSERT_TRUE(c.is_ok());
    campaign_ = c->campaign.id;
    NewPromptVersion v;
    v.prompt = "a desk lamp";
    auto pv = creative_->add_prompt_version(ctx_, campaign_, v);
    ASSERT_TRUE(pv.is_ok());
    version_ = pv->id;
  }

  std::string start(int n, std::uint64_t seed) {
    Generation g;
    g.campaign_id = campaign_;
    g.prompt_version_id = version_;
    g.engine = "scripted";
    GenerationParams p;
    p.n = n;
    p.width = 96;
    p.height = 64;
    p.seed = seed;
    p.quality = "standard";
    g.params = generation_params_json(p);
    g.brief = "{}";
    auto started = creative_->start_generation(ctx_, g);
    EXPECT_TRUE(started.is_ok()) << started.status().to_string();
    return started->id;
  }

  // Runs step `index` as attempt `attempt` of `max_attempts`.
  Result<std::string> step(const std::string& generation, int n, int index, int attempt = 1,
                           int max_attempts = 3) {
    JobLease lease;
    lease.job_id = "job_test";
    lease.workspace_id = ctx_.workspace_id;
    lease.attempt = attempt;
    lease.job.payload = nlohmann::json{{"generation_id", generation}, {"n", n}}.dump();
    lease.job.max_attempts = max_attempts;
    const std::vector<StepOutput> outputs;
    StepContext sc{
        lease, outputs, {}, [](const std::string&) {}, RetryBudget{max_attempts - attempt + 1}};
    return handler_->run_step(sc, index);
  }

  CampaignState state() { return campaigns_->get_campaign_record(ctx_, campaign_)->state; }

  ScriptedModel model_;
  XmpProvenance provenance_;
  std::unique_ptr<SqliteCampaignStore> campaigns_;
  std::unique_ptr<SqliteBrandStore> brands_;
  std::unique_ptr<SqliteCreativeStore> creative_;
  std::unique_ptr<BlobStore> blobs_;
  std::unique_ptr<GenerateImagesHandler> handler_;
  CampaignId campaign_;
  std::string version_;
};

TEST_F(GenerationTest, RefusalsAndFailuresAreRecordedPerImageWithTheirReason) {
  model_.script[101] = Status(ErrorCode::kRefused, "the prompt was flagged: weapons");
  model_.script[102] = invalid_argument("unsupported size");
  model_.script[103] = unavailable("provider overloaded");
  const std::string g = start(4, 100);
  EXPECT_EQ(state(), CampaignState::kGenerating);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(step(g, 4, i).is_ok()) << i;
  // A transient error is the queue's to retry until the last attempt, then recorded.
  auto retried = step(g, 4, 3, 1, 3);
  EXPECT_EQ(retried.status().code(), ErrorCode::kUnavailable);
  ASSERT_TRUE(step(g, 4, 3, 3, 3).is_ok());
  ASSERT_TRUE(step(g, 4, 4).is_ok());  // finish

  auto images = creative_->generation_images(ctx_, g);
  ASSERT_TRUE(images.is_ok());
  ASSERT_EQ(images->size(), 4U);
  EXPECT_EQ((*images)[0].outcome, ImageOutcome::kOk);
  EXPECT_TRUE((*images)[0].asset_id.has_value());
  EXPECT_EQ((*images)[0].model, "scripted:v1");
  EXPECT_EQ((*images)[1].outcome, ImageOutcome::kRefused);
  EXPECT_EQ((*images)[1].reason, "the prompt was flagged: weapons");
  EXPECT_FALSE((*images)[1].asset_id.has_value());
  EXPECT_EQ((*images)[2].outcome, ImageOutcome::kFailed);
  EXPECT_EQ((*images)[2].reason, "unsupported size");
  EXPECT_EQ((*images)[3].outcome, ImageOutcome::kFailed);
  EXPECT_EQ((*images)[3].reason, "provider overloaded");
  EXPECT_EQ(creative_->generation(ctx_, g)->state, GenerationState::kSucceeded);
  EXPECT_EQ(state(), CampaignState::kInReview);

  // The one image made waits for review, with provenance in its original.
  auto item = creative_->review_item(ctx_, *(*images)[0].asset_id);
  ASSERT_TRUE(item.is_ok());
  EXPECT_EQ(item->asset.review_state, ReviewState::kPending);
  EXPECT_EQ(item->asset.kind, "generated");
  EXPECT_EQ(item->image.seed, 100U);
  auto original = blobs_->get(item->asset.blob_key);
  ASSERT_TRUE(original.is_ok());
  EXPECT_NE(read_xmp(*original).find("adloom:seed=\"100\""), std::string::npos);
}

TEST_F(GenerationTest, ARerunStepReusesItsSlotAndTheCampaignWaitsForEveryGeneration) {
  model_.script[7] = Status(ErrorCode::kRefused, "refused");
  const std::string made = start(1, 50);
  ASSERT_TRUE(step(made, 1, 0).is_ok());
  ASSERT_TRUE(step(made, 1, 0).is_ok());  // after a crash: the slot is there already
  EXPECT_EQ(model_.calls, 1);
  EXPECT_EQ(creative_->generation_images(ctx_, made)->size(), 1U);

  // A second generation running at the same time: the campaign waits for both.
  const std::string refused = start(1, 7);
  ASSERT_TRUE(step(made, 1, 1).is_ok());
  EXPECT_EQ(state(), CampaignState::kGenerating);
  ASSERT_TRUE(step(refused, 1, 0).is_ok());
  ASSERT_TRUE(step(refused, 1, 1).is_ok());
  EXPECT_EQ(creative_->generation(ctx_, refused)->state, GenerationState::kFailed);
  EXPECT_EQ(state(), CampaignState::kInReview);  // the first one made an image

  // Reviewing all of it approves the campaign; a second decision is a conflict.
  const AssetId image = *(*creative_->generation_images(ctx_, made))[0].asset_id;
  auto decided = creative_->decide(ctx_, {{image, ReviewState::kApproved, ""}});
  ASSERT_TRUE(decided.is_ok()) << decided.status().to_string();
  EXPECT_EQ(state(), CampaignState::kApproved);
  EXPECT_EQ(creative_->decide(ctx_, {{image, ReviewState::kRejected, "no"}}).status().code(),
            ErrorCode::kConflict);
}

TEST_F(GenerationTest, AGenerationWithNothingMadeSendsTheCampaignBackToDraft) {
  model_.script[9] = Status(ErrorCode::kRefused, "refused");
  const std::string g = start(1, 9);
  ASSERT_TRUE(step(g, 1, 0).is_ok());
  ASSERT_TRUE(step(g, 1, 1).is_ok());
  EXPECT_EQ(state(), CampaignState::kDraft);
  auto audit = campaigns_->list_audit(ctx_, {campaign_, std::nullopt, 10});
  ASSERT_TRUE(audit.is_ok());
  EXPECT_NE(audit->entries[0].detail.find("no image could be made"), std::string::npos);
}

}  // namespace
}  // namespace adloom::testing
