// import_kpis_csv against SqliteAssetStore on a real database: targets by asset id, sha256,
// campaign id and name; per-row rejection; ctr derivation; header errors.
#include "services/kpi_import.h"

#include <map>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/ids.h"
#include "integration/library_db_fixture.h"
#include "store/sqlite/sqlite_asset_store.h"
#include "store/sqlite/sqlite_metadata_store.h"

namespace adloom {
namespace {

class KpiImportTest : public testing::LibraryDbTest {
 protected:
  Asset add_asset(const RequestContext& ctx, const std::string& sha) {
    NewAsset a;
    a.sha256 = sha;
    a.mime = "image/jpeg";
    a.bytes = 10;
    a.width = 10;
    a.height = 10;
    auto r = store_->insert_asset(ctx, a);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r->first;
  }

  Campaign add_campaign(const std::string& name) {
    CampaignFields f;
    f.name = name;
    auto r = store_->upsert_campaign(ctx_, f);
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return *r;
  }

  KpiImportReport import_ok(const std::string& csv) {
    auto r = import_kpis_csv(ctx_, *store_, csv, "csv:test.csv");
    EXPECT_TRUE(r.is_ok()) << r.status().to_string();
    return r.is_ok() ? *r : KpiImportReport{};
  }

  // metric@period -> value
  static std::map<std::string, double> by_key(const std::vector<KpiValue>& kpis) {
    std::map<std::string, double> out;
    for (const auto& k : kpis) out[k.metric + "@" + k.period] = k.value;
    return out;
  }
};

const std::string kShaA(64, 'a');
const std::string kShaB(64, 'b');

TEST_F(KpiImportTest, AppliesRowsByAssetIdSha256AndCampaign) {
  Asset a = add_asset(ctx_, kShaA);
  Asset b = add_asset(ctx_, kShaB);
  Campaign summer = add_campaign("Summer 2026");
  Campaign winter = add_campaign("Winter, 2026");

  std::string csv =
      "\xEF\xBB\xBF"
      "asset_id,sha256,campaign,campaign_id,period,impressions,clicks,spend\r\n" +
      a.id + ",,,,2026-Q3,1000,50,\r\n" +                     //
      ",BBBB" + std::string(60, 'b') + ",,,,200,,12.5\r\n" +  // upper-case hex is fine
      ",,Summer 2026,,, 5000 ,100,1e3\r\n" +                  // spaces around numbers trimmed
      ",,\"Winter, 2026\",,,10,0,\r\n" +                      // quoted name with a comma
      ",,,\"" + summer.id + "\",2026-Q4,,,3";                 // by id, no final line break
  KpiImportReport report = import_ok(csv);
  EXPECT_EQ(report.rows_total, 5);
  EXPECT_EQ(report.rows_applied, 5);
  EXPECT_TRUE(report.errors.empty()) << report.errors[0].reason;
  // 2 (+ctr) + 2 + 3 (+ctr) + 2 (+ctr) + 1
  EXPECT_EQ(report.kpis_applied, 3 + 2 + 4 + 3 + 1);

  auto got_a = store_->get_asset(ctx_, a.id);
  ASSERT_TRUE(got_a.is_ok());
  auto ka = by_key(got_a->kpis);
  EXPECT_DOUBLE_EQ(ka["impressions@2026-Q3"], 1000);
  EXPECT_DOUBLE_EQ(ka["clicks@2026-Q3"], 50);
  EXPECT_DOUBLE_EQ(ka["ctr@2026-Q3"], 0.05);  // derived
  EXPECT_EQ(ka.count("spend@2026-Q3"), 0u);   // empty cell skipped
  for (const auto& k : got_a->kpis) {
    EXPECT_EQ(k.source, k.metric == "ctr" ? "derived" : "csv:test.csv") << k.metric;
  }

  auto got_b = store_->get_asset(ctx_, b.id);
  ASSERT_TRUE(got_b.is_ok());
  auto kb = by_key(got_b->kpis);
  EXPECT_DOUBLE_EQ(kb["impressions@"], 200);
  EXPECT_DOUBLE_EQ(kb["spend@"], 12.5);
  EXPECT_EQ(kb.count("ctr@"), 0u);  // no clicks, nothing to derive

  auto got_summer = store_->get_campaign(ctx_, summer.id);
  ASSERT_TRUE(got_summer.is_ok());
  auto ks = by_key(got_summer->kpis);
  EXPECT_DOUBLE_EQ(ks["impressions@"], 5000);
  EXPECT_DOUBLE_EQ(ks["spend@"], 1000);
  EXPECT_DOUBLE_EQ(ks["ctr@"], 0.02);
  EXPECT_DOUBLE_EQ(ks["spend@2026-Q4"], 3);

  auto got_winter = store_->get_campaign(ctx_, winter.id);
  ASSERT_TRUE(got_winter.is_ok());
  EXPECT_DOUBLE_EQ(by_key(got_winter->kpis)["ctr@"], 0);
}

TEST_F(KpiImportTest, InvalidRowsAreReportedWhileValidOnesApply) {
  Asset a = add_asset(ctx_, kShaA);
  add_campaign("Summer 2026");
  Asset foreign = add_asset(other_, kShaB);  // another workspace: not visible here

  std::string csv = "asset_id,campaign,sha256,impressions,clicks,ctr\n" + a.id +
                    ",,,100,10,\n" +                 // row 2: ok
                    ",Summer 2026,,10,50,\n" +       // row 3: clicks > impressions
                    ",Nope,,1,1,\n" +                // row 4: unknown campaign
                    "\n" +                           // row 5: blank, skipped
                    a.id + ",,,1O0,,\n" +            // row 6: not a number
                    ",,,5,,\n" +                     // row 7: no target
                    a.id + ",Summer 2026,,5,,\n" +   // row 8: two targets
                    new_id("ast", 1) + ",,,5,,\n" +  // row 9: unknown asset
                    ",,,,,\n," + "\n" +              // rows 10-11: blank (all cells empty)
                    ",," + kShaB + ",5,,\n" +        // row 12: foreign sha256
                    a.id + ",,,,,1.5\n" +            // row 13: rate above 1
                    a.id + ",,,,,\n" +               // row 14: no values
                    a.id + ",,,1,2\n" +              // row 15: short row
                    "nope,,,1,,\n" +                 // row 16: malformed asset id
                    a.id + ",,,-1,,\n" +             // row 17: negative count
                    ",,abc,1,,\n" +                  // row 18: bad sha256
                    a.id + ",,,0x10,,\n";            // row 19: hex not accepted
  KpiImportReport report = import_ok(csv);
  EXPECT_EQ(report.rows_total, 15);
  EXPECT_EQ(report.rows_applied, 1);
  EXPECT_EQ(report.kpis_applied, 3);
  std::map<int, std::string> errors;
  for (const auto& e : report.errors) errors[e.row] = e.reason;
  ASSERT_EQ(errors.size(), 14u);
  EXPECT_EQ(errors[3], "clicks (50) exceed impressions (10)");
  EXPECT_EQ(errors[4], "campaign 'Nope' does not exist");
  EXPECT_EQ(errors[6], "impressions: '1O0' is not a number");
  EXPECT_NE(errors[7].find("no target"), std::string::npos);
  EXPECT_NE(errors[8].find("more than one target"), std::string::npos);
  EXPECT_NE(errors[9].find("does not exist"), std::string::npos);
  EXPECT_EQ(errors[12], "no asset has sha256 " + kShaB);
  EXPECT_NE(errors[13].find("rate between 0 and 1"), std::string::npos);
  EXPECT_EQ(errors[14], "no KPI values in the row");
  EXPECT_EQ(errors[15], "row has 5 fields but the header has 6");
  EXPECT_EQ(errors[16], "asset_id 'nope' is not an asset id");
  EXPECT_NE(errors[17].find("cannot be negative"), std::string::npos);
  EXPECT_NE(errors[18].find("not 64 hex digits"), std::string::npos);
  EXPECT_EQ(errors[19], "impressions: '0x10' is not a number");
  for (int row : {2, 5, 10, 11}) EXPECT_EQ(errors.count(row), 0u) << row;

  auto got = store_->get_asset(ctx_, a.id);
  ASSERT_TRUE(got.is_ok());
  auto k = by_key(got->kpis);
  EXPECT_EQ(k.size(), 3u);
  EXPECT_DOUBLE_EQ(k["ctr@"], 0.1);
  // Nothing leaked into the other workspace's asset.
  auto other_asset = store_->get_asset(other_, foreign.id);
  ASSERT_TRUE(other_asset.is_ok());
  EXPECT_TRUE(other_asset->kpis.empty());
}

TEST_F(KpiImportTest, LaterRowsUpsertEarlierOnes) {
  Asset a = add_asset(ctx_, kShaA);
  KpiImportReport report = import_ok("asset_id,clicks\n" + a.id + ",1\n" + a.id + ",7\n");
  EXPECT_EQ(report.rows_applied, 2);
  auto got = store_->get_asset(ctx_, a.id);
  ASSERT_TRUE(got.is_ok());
  EXPECT_DOUBLE_EQ(by_key(got->kpis)["clicks@"], 7);
}

TEST_F(KpiImportTest, HeaderProblemsFailTheWholeImport) {
  Asset a = add_asset(ctx_, kShaA);
  auto fails = [&](const std::string& csv, const std::string& fragment) {
    auto r = import_kpis_csv(ctx_, *store_, csv, "csv:test.csv");
    ASSERT_FALSE(r.is_ok()) << csv;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(fragment), std::string::npos) << r.status().message();
  };
  fails("period,clicks\nQ1,5\n", "no target column");
  fails("asset_id,clicks,clicks\n" + a.id + ",1,2\n", "'clicks' appears more than once");
  fails("asset_id, asset_id ,clicks\n", "'asset_id' appears more than once");
  fails("asset_id,,clicks\n", "column 2 has no name");
  fails("asset_id,Clicks\n" + a.id + ",1\n", "'Clicks' is not a metric name");
  fails("", "empty");
  fails("\n\n", "empty");
  fails("asset_id,clicks\n\"" + a.id + ",1\n", "never closed");
  // Nothing was applied by any of them.
  auto got = store_->get_asset(ctx_, a.id);
  ASSERT_TRUE(got.is_ok());
  EXPECT_TRUE(got->kpis.empty());

  // A header alone is a valid, empty import.
  KpiImportReport empty = import_ok("sha256,impressions\r\n");
  EXPECT_EQ(empty.rows_total, 0);
  EXPECT_EQ(empty.rows_applied, 0);
}

}  // namespace
}  // namespace adloom
