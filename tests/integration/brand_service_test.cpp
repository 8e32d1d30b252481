// Brand kits through BrandService on a real SQLite store: normalisation, every validation
// message, optimistic concurrency, roles and workspace isolation.
#include "services/brand_service.h"

#include <gtest/gtest.h>

#include "integration/library_db_fixture.h"
#include "store/sqlite/sqlite_brand_store.h"

namespace adloom::testing {
namespace {

class BrandServiceTest : public LibraryDbTest {
 protected:
  void SetUp() override {
    LibraryDbTest::SetUp();
    kits_ = std::make_unique<SqliteBrandStore>(*db_, clock_);
    service_ = std::make_unique<BrandService>(*kits_, *store_);
  }

  static BrandKitFields harbour() {
    BrandKitFields f;
    f.name = "  Harbour   Coffee ";
    f.palette = {{"#1e6fd9", "Primary", "Harbour blue"},
                 {"fff", "background", ""},
                 {"#F2A900", "accent", "Crema"},
                 {"#E4572E", "accent", ""}};
    f.font_family = "dejavu sans";
    f.tone_words = {" warm ", "Warm", "", "confident"};
    f.style_words = {"bright daylight"};
    f.banned_terms = {"cheap", "CHEAP", "free\tgift"};
    f.disclosures = {"Offer ends 31 May."};
    return f;
  }

  std::string expect_invalid(const BrandKitFields& f) {
    auto r = service_->create(ctx_, f);
    EXPECT_FALSE(r.is_ok());
    if (r.is_ok()) return "";
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << r.status().to_string();
    return r.status().message();
  }

  std::unique_ptr<SqliteBrandStore> kits_;
  std::unique_ptr<BrandService> service_;
};

TEST_F(BrandServiceTest, CreateNormalisesEveryField) {
  auto kit = service_->create(ctx_, harbour());
  ASSERT_TRUE(kit.is_ok()) << kit.status().to_string();
  EXPECT_TRUE(is_valid_id(kit->id, "bk"));
  EXPECT_EQ(kit->version, 1);
  const auto& f = kit->fields;
  EXPECT_EQ(f.name, "Harbour Coffee");
  ASSERT_EQ(f.palette.size(), 4U);
  EXPECT_EQ(f.palette[0], (PaletteColour{"#1E6FD9", "primary", "Harbour blue"}));
  EXPECT_EQ(f.palette[1], (PaletteColour{"#FFFFFF", "background", ""}));
  EXPECT_EQ(f.font_family, "DejaVu Sans");  // fontconfig's spelling
  EXPECT_EQ(f.tone_words, (std::vector<std::string>{"warm", "confident"}));
  EXPECT_EQ(f.banned_terms, (std::vector<std::string>{"cheap", "free gift"}));
  EXPECT_EQ(f.disclosures, (std::vector<std::string>{"Offer ends 31 May."}));

  auto read = service_->get(ctx_, kit->id);
  ASSERT_TRUE(read.is_ok());
  EXPECT_EQ(read->fields, f);
}

TEST_F(BrandServiceTest, EachBadFieldIsRefusedWithAMessageNamingIt) {
  auto f = harbour();
  f.name = "   ";
  EXPECT_NE(expect_invalid(f).find("needs a name"), std::string::npos);

  f = harbour();
  f.name = std::string(101, 'x');
  EXPECT_NE(expect_invalid(f).find("name is longer than 100"), std::string::npos);

  f = harbour();
  f.palette[2].hex = "orange";
  EXPECT_NE(expect_invalid(f).find("palette[2].hex 'orange' is not a colour"), std::string::npos);

  f = harbour();
  f.palette[1].role = "border";
  EXPECT_NE(expect_invalid(f).find("palette[1].role 'border'"), std::string::npos);

  f = harbour();
  f.palette[1].role = "primary";
  EXPECT_NE(expect_invalid(f).find("only one colour can be the primary colour"), std::string::npos);

  f = harbour();
  f.palette.assign(13, PaletteColour{"#000000", "", ""});
  EXPECT_NE(expect_invalid(f).find("palette has 13 colours; at most 12"), std::string::npos);

  f = harbour();
  f.font_family = "Comic Sans Nowhere";
  const std::string font = expect_invalid(f);
  EXPECT_NE(font.find("font_family 'Comic Sans Nowhere' is not installed"), std::string::npos);
  EXPECT_NE(font.find("DejaVu Sans"), std::string::npos) << "lists installed families: " << font;

  f = harbour();
  f.logo = "ast_01M8GR4HE224XG16SNS63FZ4S3";
  EXPECT_NE(expect_invalid(f).find("logo: asset ast_01M8GR4HE224XG16SNS63FZ4S3 does not exist"),
            std::string::npos);

  f = harbour();
  f.tone_words.assign(21, "");
  for (int i = 0; i < 21; ++i) f.tone_words[i] = "word" + std::to_string(i);
  EXPECT_NE(expect_invalid(f).find("tone_words has 21 entries; at most 20"), std::string::npos);

  f = harbour();
  f.disclosures = {std::string(301, 'd')};
  EXPECT_NE(expect_invalid(f).find("disclosures[0] is longer than 300"), std::string::npos);

  f = harbour();
  f.style_words = {"ok", std::string("bell\x07")};
  EXPECT_NE(expect_invalid(f).find("style_words[1] contains a control character"),
            std::string::npos);

  auto list = service_->list(ctx_);
  ASSERT_TRUE(list.is_ok());
  EXPECT_TRUE(list->empty()) << "nothing invalid was stored";
}

TEST_F(BrandServiceTest, LogoMustBeAnAssetOfTheSameWorkspace) {
  NewAsset logo;
  logo.sha256 = "feed";
  logo.mime = "image/png";
  logo.bytes = 10;
  logo.width = 64;
  logo.height = 64;
  auto mine = store_->insert_asset(ctx_, logo);
  auto theirs = store_->insert_asset(other_, logo);
  ASSERT_TRUE(mine.is_ok() && theirs.is_ok());

  auto f = harbour();
  f.logo = theirs->first.id;
  EXPECT_FALSE(service_->create(ctx_, f).is_ok());
  f.logo = mine->first.id;
  auto kit = service_->create(ctx_, f);
  ASSERT_TRUE(kit.is_ok()) << kit.status().to_string();
  EXPECT_EQ(kit->fields.logo, mine->first.id);

  // Deleting the logo's asset leaves the kit without a logo.
  ASSERT_TRUE(store_->delete_asset(ctx_, mine->first.id).is_ok());
  auto after = service_->get(ctx_, kit->id);
  ASSERT_TRUE(after.is_ok());
  EXPECT_EQ(after->fields.logo, std::nullopt);
}

TEST_F(BrandServiceTest, UpdatePatchesAndRefusesAStaleVersion) {
  auto kit = service_->create(ctx_, harbour());
  ASSERT_TRUE(kit.is_ok());
  BrandKitPatch patch;
  patch.tone_words = std::vector<std::string>{"playful"};
  patch.logo = std::optional<std::string>();  // no logo (it had none)
  auto v2 = service_->update(ctx_, kit->id, patch, 1);
  ASSERT_TRUE(v2.is_ok()) << v2.status().to_string();
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->fields.tone_words, std::vector<std::string>{"playful"});
  EXPECT_EQ(v2->fields.palette, kit->fields.palette) << "absent members stay";

  // Someone who edited version 1 is told to reload.
  BrandKitPatch late;
  late.name = "Harbour Coffee Co.";
  auto stale = service_->update(ctx_, kit->id, late, 1);
  ASSERT_FALSE(stale.is_ok());
  EXPECT_EQ(stale.status().code(), ErrorCode::kConflict);
  EXPECT_NE(stale.status().message().find("reload"), std::string::npos);

  // A bad patch changes nothing.
  BrandKitPatch bad;
  bad.palette = std::vector<PaletteColour>{{"#12345", "", ""}};
  EXPECT_EQ(service_->update(ctx_, kit->id, bad, std::nullopt).status().code(),
            ErrorCode::kInvalidArgument);
  auto now = service_->get(ctx_, kit->id);
  ASSERT_TRUE(now.is_ok());
  EXPECT_EQ(now->version, 2);
}

TEST_F(BrandServiceTest, NamesAreUniquePerWorkspaceAndKitsNeverCrossWorkspaces) {
  auto kit = service_->create(ctx_, harbour());
  ASSERT_TRUE(kit.is_ok());
  auto again = service_->create(ctx_, harbour());
  ASSERT_FALSE(again.is_ok());
  EXPECT_EQ(again.status().code(), ErrorCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find("'Harbour Coffee' already exists"), std::string::npos);

  // The other workspace may use the same name, and sees nothing of the first's.
  ASSERT_TRUE(service_->create(other_, harbour()).is_ok());
  EXPECT_EQ(service_->get(other_, kit->id).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(service_->update(other_, kit->id, {}, std::nullopt).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(service_->remove(other_, kit->id).code(), ErrorCode::kNotFound);
  auto mine = service_->list(ctx_);
  ASSERT_TRUE(mine.is_ok());
  ASSERT_EQ(mine->size(), 1U);
  EXPECT_EQ(mine->front().id, kit->id);

  ASSERT_TRUE(service_->remove(ctx_, kit->id).is_ok());
  EXPECT_EQ(service_->get(ctx_, kit->id).status().code(), ErrorCode::kNotFound);
}

TEST_F(BrandServiceTest, OnlyOwnersChangeKitsAndEveryoneReadsThem) {
  auto kit = service_->create(ctx_, harbour());
  ASSERT_TRUE(kit.is_ok());
  RequestContext editor = ctx_;
  editor.role = Role::kEditor;
  EXPECT_EQ(service_->create(editor, harbour()).status().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->update(editor, kit->id, {}, std::nullopt).status().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(service_->remove(editor, kit->id).code(), ErrorCode::kPermissionDenied);
  RequestContext viewer = ctx_;
  viewer.role = Role::kViewer;
  EXPECT_TRUE(service_->get(viewer, kit->id).is_ok());
  EXPECT_TRUE(service_->list(viewer).is_ok());
}

}  // namespace
}  // namespace adloom::testing
