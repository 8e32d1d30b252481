// Import manifests: parse_manifest_csv (header, fields, tags, KPIs, campaigns, row problems,
// whole-file errors) and parse_manifest_json (entries, metadata problems, KPI forms).
#include "services/import_manifest.h"

#include <cctype>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "api/asset_json.h"

namespace adloom {
namespace {

using Entries = std::vector<ManifestEntry>;
using Strings = std::vector<std::string>;

// A syntactically valid campaign id ("cmp_" + 26 Crockford base32 chars, first <= '7').
const std::string kCampaignId = "cmp_01JDX3ABCDEFGHJKMNPQRSTVWX";

Entries csv_ok(std::string_view text) {
  auto r = parse_manifest_csv(text);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return r.is_ok() ? *r : Entries{};
}

Entries json_ok(std::string_view text) {
  auto r = parse_manifest_json(text);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return r.is_ok() ? *r : Entries{};
}

// "metric=value@period[source]" per KPI, in order: exact and readable in failure output.
Strings kpi_strings(const std::vector<KpiValue>& kpis) {
  Strings out;
  for (const auto& k : kpis) {
    std::ostringstream s;
    s << k.metric << "=" << k.value << "@" << k.period << "[" << k.source << "]";
    out.push_back(s.str());
  }
  return out;
}

// The message of a failed parse; "" (and a test failure) when it did not fail as expected.
template <typename T>
std::string invalid_message(const Result<T>& r) {
  EXPECT_FALSE(r.is_ok());
  if (r.is_ok()) return "";
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << r.status().to_string();
  return r.status().message();
}

// ---------------------------------------------------------------------------------------
// CSV

TEST(ImportManifestTest, CsvReadsFileFieldsAndMetricColumns) {
  Entries e = csv_ok(
      "file,description,channel,objective,audience,start_date,end_date,tags,period,"
      "impressions,clicks,spend\n"
      "img/a.jpg,Beach shot,instagram,awareness,18-24,2026-06-01,2026-06-30,summer;beach,"
      "2026-Q3,1000,30,12.5\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].row, 2);
  EXPECT_EQ(e[0].problem, "");
  EXPECT_EQ(e[0].file, "img/a.jpg");
  const AssetFields& f = e[0].upload.fields;
  EXPECT_EQ(f.description, "Beach shot");
  EXPECT_EQ(f.channel, "instagram");
  EXPECT_EQ(f.objective, "awareness");
  EXPECT_EQ(f.audience, "18-24");
  EXPECT_EQ(f.start_date, "2026-06-01");
  EXPECT_EQ(f.end_date, "2026-06-30");
  EXPECT_EQ(f.tags, (Strings{"summer", "beach"}));
  EXPECT_EQ(f.original_name, "");  // set later from the file name, not by the manifest
  EXPECT_EQ(kpi_strings(e[0].upload.kpis),
            (Strings{"impressions=1000@2026-Q3[manifest]", "clicks=30@2026-Q3[manifest]",
                     "spend=12.5@2026-Q3[manifest]"}));
  EXPECT_FALSE(e[0].upload.campaign);
  EXPECT_FALSE(e[0].upload.campaign_id);
}

TEST(ImportManifestTest, CsvTrimsCellsAndSkipsEmptyMetricCells) {
  Entries e = csv_ok(
      "file,channel,impressions,clicks,likes\n"
      "  a.jpg\t, display , 5000 ,,\n"
      "b.jpg,,,\t,7\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].problem, "");
  EXPECT_EQ(e[0].file, "a.jpg");
  EXPECT_EQ(e[0].upload.fields.channel, "display");
  // No period column: the lifetime value ("").
  EXPECT_EQ(kpi_strings(e[0].upload.kpis), (Strings{"impressions=5000@[manifest]"}));
  EXPECT_EQ(e[1].problem, "");
  EXPECT_EQ(kpi_strings(e[1].upload.kpis), (Strings{"likes=7@[manifest]"}));
}

TEST(ImportManifestTest, CsvAcceptsNumbersInStrictFormsOnly) {
  Entries e = csv_ok("file,spend,ctr,growth\nx.jpg,1e3,0.5,-2.5\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].problem, "");
  EXPECT_EQ(kpi_strings(e[0].upload.kpis),
            (Strings{"spend=1000@[manifest]", "ctr=0.5@[manifest]", "growth=-2.5@[manifest]"}));
}

TEST(ImportManifestTest, CsvSplitsTagsOnSemicolonAndPipeWithTrimming) {
  Entries e = csv_ok(
      "file,tags\n"
      "a.jpg, summer ; beach|  blue sky |\t; |sale\n"
      "b.jpg,\n"
      "c.jpg,single\n"
      "d.jpg,;|;\n"
      "e.jpg,\"comma, kept;x\"\n");
  ASSERT_EQ(e.size(), 5u);
  EXPECT_EQ(e[0].upload.fields.tags, (Strings{"summer", "beach", "blue sky", "sale"}));
  EXPECT_EQ(e[1].upload.fields.tags, Strings{});
  EXPECT_EQ(e[2].upload.fields.tags, (Strings{"single"}));
  EXPECT_EQ(e[3].upload.fields.tags, Strings{});
  EXPECT_EQ(e[4].upload.fields.tags, (Strings{"comma, kept", "x"}));
  for (const auto& entry : e) EXPECT_EQ(entry.problem, "") << "row " << entry.row;
}

TEST(ImportManifestTest, CsvPeriodAppliesToEveryKpiOfItsRow) {
  Entries e = csv_ok(
      "period,file,clicks,impressions\n"
      "2026-Q3,a.jpg,10,100\n"
      " 2026-06 ,b.jpg,20,200\n"
      ",c.jpg,30,300\n");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(kpi_strings(e[0].upload.kpis),
            (Strings{"clicks=10@2026-Q3[manifest]", "impressions=100@2026-Q3[manifest]"}));
  EXPECT_EQ(kpi_strings(e[1].upload.kpis),
            (Strings{"clicks=20@2026-06[manifest]", "impressions=200@2026-06[manifest]"}));
  EXPECT_EQ(kpi_strings(e[2].upload.kpis),
            (Strings{"clicks=30@[manifest]", "impressions=300@[manifest]"}));
}

TEST(ImportManifestTest, CsvCampaignNameCreatesACampaignWithItsNameAndDescriptionOnly) {
  Entries e = csv_ok(
      "file,campaign,campaign_description,channel,objective,audience,start_date,end_date,"
      "description\n"
      "a.jpg, Summer 2026 ,Beach launch,instagram,clicks,students,2026-06-01,2026-08-31,"
      "Asset text\n"
      "b.jpg,,Ignored without a name,facebook,,,,,\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].problem, "");
  ASSERT_TRUE(e[0].upload.campaign);
  // The row's other columns describe the asset, not the campaign other rows share.
  EXPECT_EQ(*e[0].upload.campaign,
            (CampaignFields{"Summer 2026", "Beach launch", "", "", "", "", ""}));
  EXPECT_EQ(e[0].upload.fields.start_date, "2026-06-01");
  // The asset keeps its own description; the campaign's is campaign_description.
  EXPECT_EQ(e[0].upload.fields.description, "Asset text");
  EXPECT_EQ(e[0].upload.fields.channel, "instagram");
  EXPECT_FALSE(e[0].upload.campaign_id);

  EXPECT_EQ(e[1].problem, "");
  EXPECT_FALSE(e[1].upload.campaign);
  EXPECT_EQ(e[1].upload.fields.channel, "facebook");
}

TEST(ImportManifestTest, CsvValidCampaignIdIsKeptAndEmptyIdIsNone) {
  Entries e = csv_ok("file,campaign_id\na.jpg, " + kCampaignId + " \nb.jpg,\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].problem, "");
  ASSERT_TRUE(e[0].upload.campaign_id);
  EXPECT_EQ(*e[0].upload.campaign_id, kCampaignId);
  EXPECT_EQ(e[1].problem, "");
  EXPECT_FALSE(e[1].upload.campaign_id);
}

TEST(ImportManifestTest, CsvBadCampaignIdIsARowProblem) {
  std::string lower = kCampaignId;
  for (std::size_t i = 4; i < lower.size(); ++i) {
    lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(lower[i])));
  }
  Entries e = csv_ok("file,campaign_id\na.jpg,cmp_123\nb.jpg," + kCampaignId + "\nc.jpg," + lower +
                     "\nd.jpg,ast_01JDX3ABCDEFGHJKMNPQRSTVWX\n");
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].problem, "manifest row 2: campaign_id 'cmp_123' is not a campaign id");
  EXPECT_EQ(e[0].file, "a.jpg");
  EXPECT_FALSE(e[0].upload.campaign_id);
  EXPECT_EQ(e[1].problem, "");  // the good row next to it is unaffected
  EXPECT_EQ(e[2].problem, "manifest row 4: campaign_id '" + lower + "' is not a campaign id");
  EXPECT_EQ(e[3].problem,
            "manifest row 5: campaign_id 'ast_01JDX3ABCDEFGHJKMNPQRSTVWX' is not a campaign id");
}

TEST(ImportManifestTest, CsvBadNumberCellNamesTheMetric) {
  Entries e = csv_ok(
      "file,impressions,clicks\n"
      "a.jpg,100,\"1,000\"\n"
      "b.jpg,12%,3\n"
      "c.jpg,100,3\n"
      "d.jpg,0x10,\n");
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].problem, "manifest row 2: clicks: '1,000' is not a number");
  EXPECT_EQ(e[0].file, "a.jpg");
  EXPECT_EQ(e[1].problem, "manifest row 3: impressions: '12%' is not a number");
  EXPECT_EQ(e[2].problem, "");
  EXPECT_EQ(kpi_strings(e[2].upload.kpis),
            (Strings{"impressions=100@[manifest]", "clicks=3@[manifest]"}));
  EXPECT_EQ(e[3].problem, "manifest row 5: impressions: '0x10' is not a number");
}

TEST(ImportManifestTest, CsvWrongFieldCountIsARowProblem) {
  Entries e = csv_ok(
      "file,channel,clicks\n"
      "a.jpg,instagram\n"
      "b.jpg,instagram,1,extra\n"
      "c.jpg,instagram,1\n");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].problem, "manifest row 2: 2 fields but the header has 3");
  EXPECT_EQ(e[0].file, "");  // nothing is read from a misaligned row
  EXPECT_EQ(e[1].problem, "manifest row 3: 4 fields but the header has 3");
  EXPECT_EQ(e[1].file, "");
  EXPECT_TRUE(e[1].upload.kpis.empty());
  EXPECT_EQ(e[2].problem, "");
  EXPECT_EQ(e[2].file, "c.jpg");
}

TEST(ImportManifestTest, CsvEmptyFileCellIsARowProblem) {
  Entries e = csv_ok("channel,file,clicks\ninstagram,,5\ndisplay,  \t ,\nemail,x.png,\n");
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].problem, "manifest row 2: no file named in the 'file' column");
  EXPECT_EQ(e[1].problem, "manifest row 3: no file named in the 'file' column");
  EXPECT_EQ(e[2].problem, "");
  EXPECT_EQ(e[2].file, "x.png");
}

TEST(ImportManifestTest, CsvBlankRowsAreSkippedAndRowsAreSpreadsheetRows) {
  Entries e = csv_ok(
      "file,clicks\r\n"
      "\r\n"                // row 2: blank
      "a.jpg,1\r\n"         // row 3
      "  \r\n"              // row 4: only spaces, blank
      "\"b\nc.jpg\",2\r\n"  // row 5: a quoted line break is still one row
      "\t\r\n"              // row 6: blank
      "d.jpg,oops\r\n"      // row 7
      "e.jpg,3");           // row 8, no final line break
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0].row, 3);
  EXPECT_EQ(e[0].file, "a.jpg");
  EXPECT_EQ(e[1].row, 5);
  EXPECT_EQ(e[1].file, "b\nc.jpg");
  EXPECT_EQ(e[2].row, 7);
  EXPECT_EQ(e[2].problem, "manifest row 7: clicks: 'oops' is not a number");
  EXPECT_EQ(e[3].row, 8);
  EXPECT_EQ(e[3].file, "e.jpg");
  EXPECT_EQ(e[3].problem, "");
}

TEST(ImportManifestTest, CsvHeaderOnlyOrBlankRowsOnlyGivesNoEntries) {
  EXPECT_TRUE(csv_ok("file,clicks\n").empty());
  EXPECT_TRUE(csv_ok("file,clicks").empty());
  EXPECT_TRUE(csv_ok("file,clicks\n\n\n").empty());
}

TEST(ImportManifestTest, CsvHeaderNamesAreTrimmedAndByteOrderMarkSkipped) {
  Entries e = csv_ok(
      "\xEF\xBB\xBF"
      " file ,\tchannel\t, impressions \nx.jpg,email,4\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].problem, "");
  EXPECT_EQ(e[0].file, "x.jpg");
  EXPECT_EQ(e[0].upload.fields.channel, "email");
  EXPECT_EQ(kpi_strings(e[0].upload.kpis), (Strings{"impressions=4@[manifest]"}));
}

TEST(ImportManifestTest, CsvEmptyTextIsInvalidArgument) {
  EXPECT_EQ(invalid_message(parse_manifest_csv("")), "the manifest is empty");
}

TEST(ImportManifestTest, CsvHeaderWithoutFileColumnIsInvalidArgument) {
  EXPECT_EQ(invalid_message(parse_manifest_csv("campaign,clicks\nSummer,3\n")),
            "manifest header: no 'file' column");
  // A blank first line is the header, and its one column has no name.
  EXPECT_EQ(invalid_message(parse_manifest_csv("\nfile\na.jpg\n")),
            "manifest header: column 1 has no name");
}

TEST(ImportManifestTest, CsvDuplicateColumnIsInvalidArgument) {
  EXPECT_EQ(invalid_message(parse_manifest_csv("file,clicks,clicks\na.jpg,1,2\n")),
            "manifest header: column 'clicks' appears more than once");
  // Duplicates are found after trimming, for fields as well as metrics.
  EXPECT_EQ(invalid_message(parse_manifest_csv("file,tags, file \na.jpg,x,b.jpg\n")),
            "manifest header: column 'file' appears more than once");
}

TEST(ImportManifestTest, CsvUnknownColumnIsInvalidArgument) {
  for (std::string_view header : {"file,Clicks", "file,click-through", "file,cost ($)"}) {
    std::string message = invalid_message(parse_manifest_csv(std::string(header) + "\na,1\n"));
    EXPECT_EQ(message.rfind("manifest header: column '", 0), 0u) << header << ": " << message;
    EXPECT_NE(message.find("is neither a known field nor a KPI name"), std::string::npos)
        << header << ": " << message;
  }
  EXPECT_EQ(invalid_message(parse_manifest_csv("file,,clicks\na,,1\n")),
            "manifest header: column 2 has no name");
  // 64 characters is a valid metric name; 65 is not.
  EXPECT_TRUE(parse_manifest_csv("file," + std::string(64, 'm') + "\na,1\n").is_ok());
  EXPECT_FALSE(parse_manifest_csv("file," + std::string(65, 'm') + "\na,1\n").is_ok());
}

TEST(ImportManifestTest, CsvMalformedCsvIsInvalidArgument) {
  std::string unclosed = invalid_message(parse_manifest_csv("file\n\"a.jpg\n"));
  EXPECT_NE(unclosed.find("never closed"), std::string::npos) << unclosed;
  std::string stray = invalid_message(parse_manifest_csv("file,clicks\na\"b.jpg,1\n"));
  EXPECT_NE(stray.find("row 2"), std::string::npos) << stray;
}

// ---------------------------------------------------------------------------------------
// JSON

TEST(ImportManifestJsonTest, ReadsAnArrayOfEntries) {
  Entries e = json_ok(R"([
    {"file": "img/a.jpg", "campaign": "Summer 2026", "description": "Beach shot",
     "channel": "instagram", "objective": "awareness", "audience": "18-24",
     "start_date": "2026-06-01", "end_date": "2026-06-30", "tags": ["summer", "beach"],
     "kpis": {"impressions": 1000, "clicks": 30}},
    {"file": "b.png", "campaign_id": "cmp_01JDX3ABCDEFGHJKMNPQRSTVWX"}
  ])");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].row, 1);
  EXPECT_EQ(e[0].problem, "");
  EXPECT_EQ(e[0].file, "img/a.jpg");
  const AssetFields& f = e[0].upload.fields;
  EXPECT_EQ(f.description, "Beach shot");
  EXPECT_EQ(f.channel, "instagram");
  EXPECT_EQ(f.objective, "awareness");
  EXPECT_EQ(f.audience, "18-24");
  EXPECT_EQ(f.start_date, "2026-06-01");
  EXPECT_EQ(f.end_date, "2026-06-30");
  EXPECT_EQ(f.tags, (Strings{"summer", "beach"}));
  ASSERT_TRUE(e[0].upload.campaign);
  EXPECT_EQ(e[0].upload.campaign->name, "Summer 2026");
  EXPECT_FALSE(e[0].upload.campaign_id);
  // nlohmann objects iterate in key order.
  EXPECT_EQ(kpi_strings(e[0].upload.kpis),
            (Strings{"clicks=30@[manifest]", "impressions=1000@[manifest]"}));

  EXPECT_EQ(e[1].row, 2);
  EXPECT_EQ(e[1].problem, "");
  EXPECT_EQ(e[1].file, "b.png");
  ASSERT_TRUE(e[1].upload.campaign_id);
  EXPECT_EQ(*e[1].upload.campaign_id, kCampaignId);
  EXPECT_FALSE(e[1].upload.campaign);
  EXPECT_TRUE(e[1].upload.kpis.empty());
}

TEST(ImportManifestJsonTest, KpisObjectFormHasManifestSource) {
  Entries e = json_ok(R"([{"file": "a.jpg", "kpis": {"impressions": 1000}}])");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].problem, "");
  ASSERT_EQ(e[0].upload.kpis.size(), 1u);
  const KpiValue& k = e[0].upload.kpis[0];
  EXPECT_EQ(k.metric, "impressions");
  EXPECT_EQ(k.value, 1000.0);
  EXPECT_EQ(k.period, "");
  EXPECT_EQ(k.source, "manifest");
  EXPECT_EQ(k.updated_at, 0);
}

TEST(ImportManifestJsonTest, KpisArrayFormKeepsPeriodsWithManifestSource) {
  Entries e = json_ok(R"([{"file": "a.jpg", "kpis": [
      {"metric": "clicks", "value": 3, "period": "2026-Q3"},
      {"metric": "spend", "value": 12.5}]}])");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].problem, "");
  EXPECT_EQ(kpi_strings(e[0].upload.kpis),
            (Strings{"clicks=3@2026-Q3[manifest]", "spend=12.5@[manifest]"}));
}

TEST(ImportManifestJsonTest, CampaignObjectFormKeepsItsFields) {
  Entries e = json_ok(R"([{"file": "a.jpg", "channel": "display", "campaign": {
      "name": "Winter", "description": "Snow", "channel": "email", "objective": "clicks",
      "audience": "all", "start_date": "2026-12-01", "end_date": "2027-01-31"}}])");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].problem, "");
  ASSERT_TRUE(e[0].upload.campaign);
  EXPECT_EQ(*e[0].upload.campaign, (CampaignFields{"Winter", "Snow", "email", "clicks", "all",
                                                   "2026-12-01", "2027-01-31"}));
  EXPECT_EQ(e[0].upload.fields.channel, "display");
}

TEST(ImportManifestJsonTest, EntryWithoutFileIsAProblem) {
  Entries e = json_ok(R"([
    {"description": "no file"},
    {"file": 3},
    {"file": ""},
    {"file": null},
    "a.jpg",
    {"file": "ok.jpg"}
  ])");
  ASSERT_EQ(e.size(), 6u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(e[i].row, static_cast<int>(i) + 1);
    EXPECT_EQ(e[i].problem,
              "manifest entry " + std::to_string(i + 1) + ": needs a \"file\" string");
    EXPECT_EQ(e[i].file, "");
  }
  EXPECT_EQ(e[5].row, 6);
  EXPECT_EQ(e[5].problem, "");
  EXPECT_EQ(e[5].file, "ok.jpg");
}

TEST(ImportManifestJsonTest, EntryWithBadMetadataIsAProblem) {
  Entries e = json_ok(R"([
    {"file": "a.jpg", "tags": "x"},
    {"file": "b.jpg", "kpis": {"clicks": "5"}},
    {"file": "c.jpg", "campaign_id": "cmp_123"},
    {"file": "d.jpg", "channel": 7},
    {"file": "e.jpg", "kpis": [{"metric": "clicks"}]},
    {"file": "f.jpg", "campaign": ""},
    {"file": "g.jpg", "kpis": "many"},
    {"file": "h.jpg", "tags": ["ok", 1]},
    {"file": "i.jpg", "tag": ["typo"]},
    {"file": "j.jpg", "campaign": {"name": "S", "chanel": "x"}}
  ])");
  ASSERT_EQ(e.size(), 10u);
  EXPECT_EQ(e[8].problem,
            "manifest entry 9: unknown field 'tag' in the metadata (known: audience, campaign, "
            "campaign_id, channel, description, end_date, kpis, objective, start_date, tags)");
  EXPECT_EQ(e[9].problem,
            "manifest entry 10: unknown field 'chanel' in the campaign (known: audience, channel, "
            "description, end_date, name, objective, start_date)");
  EXPECT_EQ(e[0].problem, "manifest entry 1: tags must be an array of strings");
  EXPECT_EQ(e[1].problem, "manifest entry 2: KPI clicks must be a number");
  EXPECT_EQ(e[2].problem, "manifest entry 3: campaign_id is not a campaign id");
  EXPECT_EQ(e[3].problem, "manifest entry 4: channel must be a string");
  EXPECT_EQ(e[4].problem, "manifest entry 5: each KPI needs a string metric and a numeric value");
  EXPECT_EQ(e[5].problem, "manifest entry 6: campaign needs a name");
  EXPECT_EQ(e[6].problem, "manifest entry 7: kpis must be an object or an array");
  EXPECT_EQ(e[7].problem, "manifest entry 8: tags must be an array of strings");
  // The file is still reported, so the rejection can name it.
  EXPECT_EQ(e[0].file, "a.jpg");
  EXPECT_EQ(e[7].file, "h.jpg");
  for (const auto& entry : e) EXPECT_TRUE(entry.upload.kpis.empty()) << entry.file;
}

TEST(ImportManifestJsonTest, EmptyArrayGivesNoEntries) {
  EXPECT_TRUE(json_ok("[]").empty());
  EXPECT_TRUE(json_ok(" \n[ ]\n").empty());
}

TEST(ImportManifestJsonTest, NonArrayIsInvalidArgument) {
  for (std::string_view text : {R"({"file": "a.jpg"})", R"("a.jpg")", "42", "null", "true"}) {
    EXPECT_EQ(invalid_message(parse_manifest_json(text)),
              "a JSON manifest must be an array of objects")
        << text;
  }
}

TEST(ImportManifestJsonTest, InvalidJsonIsInvalidArgument) {
  for (std::string_view text :
       {"", "[", R"([{"file": "a.jpg"},])", "file,clicks\na.jpg,1\n", R"([{"file": 'a.jpg'}])"}) {
    EXPECT_EQ(invalid_message(parse_manifest_json(text)), "the manifest is not valid JSON") << text;
  }
}

}  // namespace
}  // namespace adloom
