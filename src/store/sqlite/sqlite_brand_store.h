// BrandStore on SQLite (table brand_kits, migration 4). Shares the Database with the other
// SQLite stores.
#pragma once

#include "core/clock.h"
#include "store/brand_store.h"
#include "store/sqlite/sqlite_db.h"

namespace adloom {

class SqliteBrandStore final : public BrandStore {
 public:
  // `db` and `clock` must outlive the store.
  SqliteBrandStore(sqlite::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  Result<BrandKit> create_brand_kit(const RequestContext& ctx,
                                    const BrandKitFields& fields) override;
  Result<BrandKit> get_brand_kit(const RequestContext& ctx, const BrandKitId& id) override;
  Result<std::vector<BrandKit>> list_brand_kits(const RequestContext& ctx) override;
  Result<BrandKit> update_brand_kit(const RequestContext& ctx, const BrandKitId& id,
                                    const BrandKitFields& fields,
                                    std::optional<std::int64_t> expected_version) override;
  Status delete_brand_kit(const RequestContext& ctx, const BrandKitId& id) override;

 private:
  sqlite::Database& db_;
  const Clock& clock_;
};

}  // namespace adloom
