#include <algorithm>
#include <latch>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_metadata_store.h"
#include "support/temp_dir.h"

namespace adloom {
namespace {

using sqlite::Connection;
using sqlite::Database;

std::unique_ptr<Database> open_db(const std::string& path) {
  auto db = Database::open(Database::Options{path, 5000});
  EXPECT_TRUE(db.is_ok()) << db.status().to_string();
  return db.is_ok() ? std::move(db).value() : nullptr;
}

int latest_version() {
  return sqlite::migrations().back().version;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = open_db(db_path());
    ASSERT_NE(db_, nullptr);
    store_ = std::make_unique<SqliteMetadataStore>(*db_, clock_);
  }

  std::string db_path() const { return (dir_.path() / "adloom.db").string(); }

  void migrate() {
    auto applied = store_->migrate();
    ASSERT_TRUE(applied.is_ok()) << applied.status().to_string();
  }

  // Rows of `SELECT count(*) ...`.
  std::int64_t count(const std::string& sql) {
    std::int64_t n = -1;
    Status st = db_->read([&](Connection& c) -> Status {
      ADLOOM_ASSIGN(auto q, c.prepare(sql));
      ADLOOM_ASSIGN(bool row, q.step());
      if (row) n = q.column_int(0);
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }

  testing::TempDir dir_;
  SystemClock clock_;
  std::unique_ptr<Database> db_;
  std::unique_ptr<SqliteMetadataStore> store_;
};

TEST_F(SqliteStoreTest, MigrationsAreNumberedFromOneWithoutGaps) {
  const auto& all = sqlite::migrations();
  ASSERT_FALSE(all.empty());
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].version, static_cast<int>(i) + 1);
    EXPECT_NE(std::string(all[i].name), "");
  }
}

TEST_F(SqliteStoreTest, FreshDatabaseHasVersionZero) {
  auto v = store_->schema_version();
  ASSERT_TRUE(v.is_ok()) << v.status().to_string();
  EXPECT_EQ(*v, 0);
}

TEST_F(SqliteStoreTest, MigrateAppliesAllOnceThenNothing) {
  auto first = store_->migrate();
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  std::vector<int> all;
  for (const auto& m : sqlite::migrations()) all.push_back(m.version);
  EXPECT_EQ(*first, all);

  auto second = store_->migrate();
  ASSERT_TRUE(second.is_ok()) << second.status().to_string();
  EXPECT_TRUE(second->empty());

  auto v = store_->schema_version();
  ASSERT_TRUE(v.is_ok());
  EXPECT_EQ(*v, latest_version());
  EXPECT_EQ(count("SELECT count(*) FROM schema_migrations"),
            static_cast<std::int64_t>(sqlite::migrations().size()));
}

TEST_F(SqliteStoreTest, MigrateIsIdempotentAcrossDatabaseObjects) {
  migrate();
  auto other = open_db(db_path());
  ASSERT_NE(other, nullptr);
  SqliteMetadataStore other_store(*other, clock_);
  auto again = other_store.migrate();
  ASSERT_TRUE(again.is_ok()) << again.status().to_string();
  EXPECT_TRUE(again->empty());
}

TEST_F(SqliteStoreTest, SchemaNewerThanBinaryFailsPrecondition) {
  migrate();
  Status st = db_->write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare("INSERT INTO schema_migrations(version, name, applied_at) "
                                    "VALUES (?, 'from the future', 0)"));
    q.bind(1, static_cast<std::int64_t>(latest_version() + 1));
    return q.run();
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();

  auto r = store_->migrate();
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kFailedPrecondition) << r.status().to_string();
  auto v = store_->schema_version();
  ASSERT_TRUE(v.is_ok());
  EXPECT_EQ(*v, latest_version() + 1);
}

TEST_F(SqliteStoreTest, OnlyAFutureVersionRecordedFailsPrecondition) {
  // A database created by a newer binary whose first migration we would not recognise.
  Status st = db_->write([&](Connection& c) -> Status {
    return c.exec(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at INTEGER NOT NULL); "
        "INSERT INTO schema_migrations VALUES (999, 'future', 0);");
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  auto r = store_->migrate();
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kFailedPrecondition) << r.status().to_string();
  // Nothing was applied.
  EXPECT_EQ(count("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='jobs'"), 0);
}

TEST_F(SqliteStoreTest, PingWorks) {
  EXPECT_TRUE(store_->ping().is_ok());
}

TEST_F(SqliteStoreTest, EnsureDefaultWorkspaceIsIdempotent) {
  migrate();
  auto a = store_->ensure_default_workspace("Default");
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  EXPECT_TRUE(a->is_default);
  EXPECT_EQ(a->name, "Default");
  EXPECT_TRUE(is_valid_id(a->id, "ws")) << a->id;
  EXPECT_GT(a->created_at, 0);

  auto b = store_->ensure_default_workspace("Another name");
  ASSERT_TRUE(b.is_ok()) << b.status().to_string();
  EXPECT_EQ(b->id, a->id);
  EXPECT_EQ(b->name, "Default");  // the first name sticks
  EXPECT_EQ(b->created_at, a->created_at);
  EXPECT_EQ(count("SELECT count(*) FROM workspaces"), 1);
}

// Runs ensure_default_workspace from `stores.size()` threads released together; returns the
// ids they got.
std::vector<std::string> race_ensure_default(
    std::vector<std::unique_ptr<SqliteMetadataStore>>& stores) {
  std::vector<std::string> ids(stores.size());
  std::vector<Status> errors(stores.size());
  std::latch go(static_cast<std::ptrdiff_t>(stores.size()));
  {
    std::vector<std::jthread> threads;
    for (std::size_t i = 0; i < stores.size(); ++i) {
      threads.emplace_back([&, i] {
        go.arrive_and_wait();
        auto ws = stores[i]->ensure_default_workspace("ws-" + std::to_string(i));
        if (ws.is_ok()) {
          ids[i] = ws->id;
        } else {
          errors[i] = ws.status();
        }
      });
    }
  }
  for (const auto& e : errors) EXPECT_TRUE(e.is_ok()) << e.to_string();
  return ids;
}

TEST_F(SqliteStoreTest, EnsureDefaultWorkspaceRaceOnOneDatabase) {
  migrate();
  std::vector<std::unique_ptr<SqliteMetadataStore>> stores;
  for (int i = 0; i < 8; ++i) stores.push_back(std::make_unique<SqliteMetadataStore>(*db_, clock_));
  auto ids = race_ensure_default(stores);
  std::set<std::string> distinct(ids.begin(), ids.end());
  ASSERT_EQ(distinct.size(), 1u);
  EXPECT_TRUE(is_valid_id(*distinct.begin(), "ws"));
  EXPECT_EQ(count("SELECT count(*) FROM workspaces"), 1);
  EXPECT_EQ(count("SELECT count(*) FROM workspaces WHERE is_default = 1"), 1);
}

TEST_F(SqliteStoreTest, EnsureDefaultWorkspaceRaceOnTwoDatabaseObjects) {
  migrate();
  auto other = open_db(db_path());
  ASSERT_NE(other, nullptr);
  std::vector<std::unique_ptr<SqliteMetadataStore>> stores;
  for (int i = 0; i < 8; ++i) {
    stores.push_back(std::make_unique<SqliteMetadataStore>(i % 2 == 0 ? *db_ : *other, clock_));
  }
  auto ids = race_ensure_default(stores);
  std::set<std::string> distinct(ids.begin(), ids.end());
  ASSERT_EQ(distinct.size(), 1u);
  EXPECT_EQ(count("SELECT count(*) FROM workspaces"), 1);

  // Both handles see the same default afterwards.
  SqliteMetadataStore via_other(*other, clock_);
  auto ws = via_other.ensure_default_workspace("x");
  ASSERT_TRUE(ws.is_ok());
  EXPECT_EQ(ws->id, *distinct.begin());
}

TEST_F(SqliteStoreTest, CreateGetAndListWorkspaces) {
  migrate();
  auto def = store_->ensure_default_workspace("Default");
  ASSERT_TRUE(def.is_ok());
  auto a = store_->create_workspace("Team A");
  ASSERT_TRUE(a.is_ok()) << a.status().to_string();
  auto b = store_->create_workspace("Team B");
  ASSERT_TRUE(b.is_ok()) << b.status().to_string();
  EXPECT_FALSE(a->is_default);
  EXPECT_EQ(a->name, "Team A");
  EXPECT_TRUE(is_valid_id(a->id, "ws"));
  EXPECT_NE(a->id, b->id);

  auto got = store_->get_workspace(a->id);
  ASSERT_TRUE(got.is_ok()) << got.status().to_string();
  EXPECT_EQ(got->id, a->id);
  EXPECT_EQ(got->name, "Team A");
  EXPECT_FALSE(got->is_default);
  EXPECT_EQ(got->created_at, a->created_at);

  auto got_def = store_->get_workspace(def->id);
  ASSERT_TRUE(got_def.is_ok());
  EXPECT_TRUE(got_def->is_default);

  auto list = store_->list_workspaces();
  ASSERT_TRUE(list.is_ok()) << list.status().to_string();
  ASSERT_EQ(list->size(), 3u);
  std::set<std::string> ids;
  int defaults = 0;
  for (const auto& w : *list) {
    ids.insert(w.id);
    defaults += w.is_default ? 1 : 0;
  }
  EXPECT_EQ(ids, (std::set<std::string>{def->id, a->id, b->id}));
  EXPECT_EQ(defaults, 1);
  EXPECT_TRUE(std::is_sorted(list->begin(), list->end(),
                             [](const Workspace& x, const Workspace& y) { return x.id < y.id; }));
}

TEST_F(SqliteStoreTest, CreateWorkspaceRejectsEmptyName) {
  migrate();
  auto r = store_->create_workspace("");
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(SqliteStoreTest, GetUnknownWorkspaceIsNotFound) {
  migrate();
  auto r = store_->get_workspace(new_id("ws", clock_.now_ms()));
  ASSERT_FALSE(r.is_ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  auto r2 = store_->get_workspace("not-even-an-id");
  ASSERT_FALSE(r2.is_ok());
  EXPECT_EQ(r2.status().code(), ErrorCode::kNotFound);
}

TEST_F(SqliteStoreTest, ListOnEmptyDatabase) {
  migrate();
  auto list = store_->list_workspaces();
  ASSERT_TRUE(list.is_ok());
  EXPECT_TRUE(list->empty());
}

TEST_F(SqliteStoreTest, ForeignKeysAreEnforced) {
  migrate();
  // Every pooled connection has the pragma on (several connections: hold them at once).
  {
    auto l1 = db_->acquire();
    auto l2 = db_->acquire();
    ASSERT_TRUE(l1.is_ok() && l2.is_ok());
    for (auto* lease : {&l1.value(), &l2.value()}) {
      auto q = (**lease).prepare("PRAGMA foreign_keys");
      ASSERT_TRUE(q.is_ok());
      auto row = q->step();
      ASSERT_TRUE(row.is_ok() && *row);
      EXPECT_EQ(q->column_int(0), 1);
    }
  }

  Status st = db_->write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare("INSERT INTO jobs(id, workspace_id, kind, state, payload, "
                                    "max_attempts, run_after, created_at, updated_at) "
                                    "VALUES (?, ?, 'noop', 'queued', '{}', 1, 0, 0, 0)"));
    q.bind(1, new_id("job", 1)).bind(2, new_id("ws", 1));
    return q.run();
  });
  EXPECT_FALSE(st.is_ok());
  EXPECT_NE(st.message().find("FOREIGN KEY"), std::string::npos) << st.to_string();
  EXPECT_EQ(count("SELECT count(*) FROM jobs"), 0);

  // The same insert with an existing workspace works.
  auto ws = store_->ensure_default_workspace("Default");
  ASSERT_TRUE(ws.is_ok());
  Status ok = db_->write([&](Connection& c) -> Status {
    ADLOOM_ASSIGN(auto q, c.prepare("INSERT INTO jobs(id, workspace_id, kind, state, payload, "
                                    "max_attempts, run_after, created_at, updated_at) "
                                    "VALUES (?, ?, 'noop', 'queued', '{}', 1, 0, 0, 0)"));
    q.bind(1, new_id("job", 1)).bind(2, ws->id);
    return q.run();
  });
  EXPECT_TRUE(ok.is_ok()) << ok.to_string();
  EXPECT_EQ(count("SELECT count(*) FROM jobs"), 1);
}

}  // namespace
}  // namespace adloom
