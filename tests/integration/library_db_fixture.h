// A migrated SQLite database in a temp dir with two workspaces and an asset store: the
// shared set-up of the library's integration tests.
#pragma once

#include <memory>

#include <gtest/gtest.h>

#include "core/clock.h"
#include "store/sqlite/sqlite_asset_store.h"
#include "store/sqlite/sqlite_metadata_store.h"
#include "support/temp_dir.h"

namespace adloom::testing {

class LibraryDbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = sqlite::Database::open({dir_.str() + "/adloom.db", 5000});
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    meta_ = std::make_unique<SqliteMetadataStore>(*db_, clock_);
    ASSERT_TRUE(meta_->migrate().is_ok());
    auto ws = meta_->ensure_default_workspace("Default");
    ASSERT_TRUE(ws.is_ok());
    auto other = meta_->create_workspace("Other brand");
    ASSERT_TRUE(other.is_ok());
    ctx_ = RequestContext::system(ws->id, "test");
    other_ = RequestContext::system(other->id, "test");
    store_ = std::make_unique<SqliteAssetStore>(*db_, clock_);
  }

  TempDir dir_;
  SystemClock clock_;
  std::unique_ptr<sqlite::Database> db_;
  std::unique_ptr<SqliteMetadataStore> meta_;
  std::unique_ptr<SqliteAssetStore> store_;
  RequestContext ctx_;    // the default workspace
  RequestContext other_;  // a second workspace, for isolation checks
};

}  // namespace adloom::testing
