// Numbered schema migrations. Append only: a released migration never changes.
// Every table holding tenant data carries workspace_id (see docs/architecture.md).
#include "store/sqlite/sqlite_db.h"

namespace adloom::sqlite {

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "workspaces and jobs", R"sql(
CREATE TABLE workspaces (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  is_default  INTEGER NOT NULL DEFAULT 0,
  created_at  INTEGER NOT NULL
);
CREATE UNIQUE INDEX workspaces_single_default ON workspaces(is_default) WHERE is_default = 1;

CREATE TABLE jobs (
  id                TEXT PRIMARY KEY,
  workspace_id      TEXT NOT NULL REFERENCES workspaces(id),
  kind              TEXT NOT NULL,
  state             TEXT NOT NULL
                    CHECK (state IN ('queued','running','succeeded','failed','dead','canceled')),
  step              INTEGER NOT NULL DEFAULT 0,
  step_count        INTEGER NOT NULL DEFAULT 0,
  payload           TEXT NOT NULL,
  result            TEXT,
  attempts          INTEGER NOT NULL DEFAULT 0,
  max_attempts      INTEGER NOT NULL,
  run_after         INTEGER NOT NULL,
  lease_owner       TEXT,
  lease_expires_at  INTEGER,
  cancel_requested  INTEGER NOT NULL DEFAULT 0,
  progress          REAL NOT NULL DEFAULT 0,
  progress_message  TEXT,
  last_error        TEXT,
  idempotency_key   TEXT,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  finished_at       INTEGER
);
CREATE UNIQUE INDEX jobs_idempotency ON jobs(workspace_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX jobs_ready ON jobs(state, run_after);
CREATE INDEX jobs_by_workspace ON jobs(workspace_id, id);

CREATE TABLE job_steps (
  job_id        TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  step          INTEGER NOT NULL,
  name          TEXT NOT NULL,
  output        TEXT NOT NULL,
  attempt       INTEGER NOT NULL,
  worker        TEXT NOT NULL,
  completed_at  INTEGER NOT NULL,
  PRIMARY KEY (job_id, step)
);
)sql"},
      {2, "library: campaigns, assets, KPIs, embeddings, full-text", R"sql(
CREATE TABLE campaigns (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  name          TEXT NOT NULL,
  description   TEXT NOT NULL DEFAULT '',
  channel       TEXT NOT NULL DEFAULT '',
  objective     TEXT NOT NULL DEFAULT '',
  audience      TEXT NOT NULL DEFAULT '',
  start_date    TEXT NOT NULL DEFAULT '',
  end_date      TEXT NOT NULL DEFAULT '',
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  UNIQUE (workspace_id, name)
);

CREATE TABLE assets (
  id               TEXT PRIMARY KEY,
  workspace_id     TEXT NOT NULL REFERENCES workspaces(id),
  label            INTEGER NOT NULL UNIQUE,
  kind             TEXT NOT NULL CHECK (kind IN ('uploaded', 'generated')),
  campaign_id      TEXT REFERENCES campaigns(id) ON DELETE SET NULL,
  sha256           TEXT NOT NULL,
  blob_key         TEXT NOT NULL,
  mime             TEXT NOT NULL,
  bytes            INTEGER NOT NULL,
  width            INTEGER NOT NULL,
  height           INTEGER NOT NULL,
  original_name    TEXT NOT NULL DEFAULT '',
  description      TEXT NOT NULL DEFAULT '',
  channel          TEXT NOT NULL DEFAULT '',
  objective        TEXT NOT NULL DEFAULT '',
  audience         TEXT NOT NULL DEFAULT '',
  tags             TEXT NOT NULL DEFAULT '[]',
  start_date       TEXT NOT NULL DEFAULT '',
  end_date         TEXT NOT NULL DEFAULT '',
  thumb_key        TEXT,
  preview_key      TEXT,
  analysis         TEXT,
  ocr_text         TEXT NOT NULL DEFAULT '',
  auto_description TEXT NOT NULL DEFAULT '',
  index_state      TEXT NOT NULL DEFAULT 'pending'
                   CHECK (index_state IN ('pending', 'indexing', 'indexed', 'failed')),
  index_error      TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  UNIQUE (workspace_id, sha256)
);
CREATE INDEX assets_by_workspace ON assets(workspace_id, id);
CREATE INDEX assets_by_campaign ON assets(campaign_id);
CREATE INDEX assets_by_blob ON assets(blob_key);

CREATE TABLE asset_kpis (
  asset_id      TEXT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  metric        TEXT NOT NULL,
  period        TEXT NOT NULL DEFAULT '',
  value         REAL NOT NULL,
  source        TEXT NOT NULL DEFAULT '',
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (asset_id, metric, period)
);

CREATE TABLE campaign_kpis (
  campaign_id   TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  metric        TEXT NOT NULL,
  period        TEXT NOT NULL DEFAULT '',
  value         REAL NOT NULL,
  source        TEXT NOT NULL DEFAULT '',
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, metric, period)
);

CREATE TABLE asset_embeddings (
  asset_id      TEXT PRIMARY KEY REFERENCES assets(id) ON DELETE CASCADE,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  model         TEXT NOT NULL,
  dimension     INTEGER NOT NULL,
  vector        BLOB NOT NULL,
  created_at    INTEGER NOT NULL
);

-- Full-text over everything a marketer might type: the asset's text and its campaign's.
-- One row per indexed asset, keyed by the asset's label (rowid), rewritten by the index step.
CREATE VIRTUAL TABLE asset_fts USING fts5(
  workspace_id UNINDEXED, campaign_text, description, ocr_text, tags,
  tokenize = 'porter unicode61'
);
)sql"},
      {3, "search: review state, near-duplicate groups, change revisions", R"sql(
-- 'none': past creative, not subject to review; generated images start 'pending'.
ALTER TABLE assets ADD COLUMN review_state TEXT NOT NULL DEFAULT 'none'
  CHECK (review_state IN ('none', 'pending', 'approved', 'rejected'));
-- The first-indexed asset of this one's near-duplicate group; NULL when it has none.
ALTER TABLE assets ADD COLUMN near_duplicate_of TEXT;
-- Change revisions, so search caches refresh incrementally whichever process wrote: each
-- workspace counts its library changes, and every change of an asset, of its KPIs, of
-- its campaign or of the campaign's KPIs stamps the asset with the next revision.
-- Deletions leave their label behind in deleted_assets with the revision.
ALTER TABLE assets ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
CREATE INDEX assets_by_rev ON assets(workspace_id, rev);
CREATE TABLE library_revs (
  workspace_id  TEXT PRIMARY KEY REFERENCES workspaces(id),
  rev           INTEGER NOT NULL
);
CREATE TABLE deleted_assets (
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  label         INTEGER NOT NULL,
  rev           INTEGER NOT NULL
);
CREATE INDEX deleted_assets_by_rev ON deleted_assets(workspace_id, rev);
CREATE TRIGGER assets_rev_after_insert AFTER INSERT ON assets BEGIN
  INSERT INTO library_revs (workspace_id, rev) VALUES (NEW.workspace_id, 1)
    ON CONFLICT (workspace_id) DO UPDATE SET rev = rev + 1;
  UPDATE assets SET rev = (SELECT rev FROM library_revs WHERE workspace_id = NEW.workspace_id)
    WHERE id = NEW.id;
END;
-- Fires for any update that leaves rev alone, including "SET rev = rev" (a touch).
CREATE TRIGGER assets_rev_after_update AFTER UPDATE ON assets WHEN NEW.rev = OLD.rev BEGIN
  INSERT INTO library_revs (workspace_id, rev) VALUES (NEW.workspace_id, 1)
    ON CONFLICT (workspace_id) DO UPDATE SET rev = rev + 1;
  UPDATE assets SET rev = (SELECT rev FROM library_revs WHERE workspace_id = NEW.workspace_id)
    WHERE id = NEW.id;
END;
CREATE TRIGGER assets_rev_after_delete AFTER DELETE ON assets BEGIN
  INSERT INTO library_revs (workspace_id, rev) VALUES (OLD.workspace_id, 1)
    ON CONFLICT (workspace_id) DO UPDATE SET rev = rev + 1;
  INSERT INTO deleted_assets (workspace_id, label, rev)
    SELECT OLD.workspace_id, OLD.label, rev FROM library_revs WHERE workspace_id = OLD.workspace_id;
END;
CREATE TRIGGER asset_kpis_after_insert AFTER INSERT ON asset_kpis BEGIN
  UPDATE assets SET rev = rev WHERE id = NEW.asset_id;
END;
CREATE TRIGGER asset_kpis_after_update AFTER UPDATE ON asset_kpis BEGIN
  UPDATE assets SET rev = rev WHERE id = NEW.asset_id;
END;
CREATE TRIGGER asset_kpis_after_delete AFTER DELETE ON asset_kpis BEGIN
  UPDATE assets SET rev = rev WHERE id = OLD.asset_id;
END;
CREATE TRIGGER campaigns_after_update AFTER UPDATE ON campaigns BEGIN
  UPDATE assets SET rev = rev WHERE campaign_id = NEW.id;
END;
CREATE TRIGGER campaign_kpis_after_insert AFTER INSERT ON campaign_kpis BEGIN
  UPDATE assets SET rev = rev WHERE campaign_id = NEW.campaign_id;
END;
CREATE TRIGGER campaign_kpis_after_update AFTER UPDATE ON campaign_kpis BEGIN
  UPDATE assets SET rev = rev WHERE campaign_id = NEW.campaign_id;
END;
CREATE TRIGGER campaign_kpis_after_delete AFTER DELETE ON campaign_kpis BEGIN
  UPDATE assets SET rev = rev WHERE campaign_id = OLD.campaign_id;
END;
-- Existing rows: one revision for all.
INSERT INTO library_revs (workspace_id, rev) SELECT DISTINCT workspace_id, 1 FROM assets;
UPDATE assets SET rev = 1;
)sql"},
      {4, "brand kits", R"sql(
-- Lists (palette, words, terms, disclosures) are JSON arrays: always read and written whole.
CREATE TABLE brand_kits (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  name          TEXT NOT NULL,
  palette       TEXT NOT NULL DEFAULT '[]',
  font_family   TEXT NOT NULL DEFAULT '',
  logo_asset_id TEXT REFERENCES assets(id) ON DELETE SET NULL,
  tone_words    TEXT NOT NULL DEFAULT '[]',
  style_words   TEXT NOT NULL DEFAULT '[]',
  banned_terms  TEXT NOT NULL DEFAULT '[]',
  disclosures   TEXT NOT NULL DEFAULT '[]',
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  UNIQUE (workspace_id, name)
);
)sql"},
      {5, "campaign briefs, lifecycle and the audit log", R"sql(
-- The rest of a brief (name, description, channel, objective, audience and dates are
-- already columns), the brand kit, and the lifecycle state. Past campaigns imported into
-- the library are 'completed'.
ALTER TABLE campaigns ADD COLUMN product TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN format TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN tone TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN call_to_action TEXT NOT NULL DEFAULT '';
ALTER TABLE campaigns ADD COLUMN brand_kit_id TEXT REFERENCES brand_kits(id) ON DELETE SET NULL;
ALTER TABLE campaigns ADD COLUMN state TEXT NOT NULL DEFAULT 'completed'
  CHECK (state IN ('draft', 'generating', 'in_review', 'approved', 'live', 'completed',
                   'archived'));
ALTER TABLE campaigns ADD COLUMN state_changed_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX campaigns_by_state ON campaigns(workspace_id, state);

-- Who did what, when: every campaign change and state move, every review decision.
-- Written in the same transaction as the change it records; never updated or deleted.
CREATE TABLE audit_log (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  at            INTEGER NOT NULL,
  actor         TEXT NOT NULL,
  action        TEXT NOT NULL,
  subject_type  TEXT NOT NULL,
  subject_id    TEXT NOT NULL,
  detail        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_by_workspace ON audit_log(workspace_id, id);
CREATE INDEX audit_by_subject ON audit_log(workspace_id, subject_id, id);
)sql"},
      {6, "references, prompt versions, generations, reviews", R"sql(
-- The library assets a person chose as references for a campaign, in their order.
CREATE TABLE campaign_references (
  campaign_id   TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  asset_id      TEXT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  position      INTEGER NOT NULL,
  selected_by   TEXT NOT NULL,
  selected_at   INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, asset_id)
);

-- Every version of a campaign's prompt, numbered from 1; never updated or deleted.
-- inputs: what the text model was given (models/meta_prompt.h), for lineage.
CREATE TABLE prompt_versions (
  id               TEXT PRIMARY KEY,
  workspace_id     TEXT NOT NULL REFERENCES workspaces(id),
  campaign_id      TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  version          INTEGER NOT NULL,
  source           TEXT NOT NULL CHECK (source IN ('model', 'user', 'restore')),
  author           TEXT NOT NULL,
  engine           TEXT NOT NULL DEFAULT '',
  prompt           TEXT NOT NULL,
  negative_prompt  TEXT NOT NULL DEFAULT '',
  reasoning        TEXT NOT NULL DEFAULT '',
  structure        TEXT NOT NULL DEFAULT '{}',
  variants         TEXT NOT NULL DEFAULT '[]',
  inputs           TEXT NOT NULL DEFAULT '{}',
  restored_from    INTEGER,
  created_at       INTEGER NOT NULL,
  UNIQUE (campaign_id, version)
);

-- A request for images. Each of its n slots is made and stored once (generation_images),
-- so a job re-run after a crash fills only the slots still missing.
CREATE TABLE generations (
  id                 TEXT PRIMARY KEY,
  workspace_id       TEXT NOT NULL REFERENCES workspaces(id),
  campaign_id        TEXT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  prompt_version_id  TEXT NOT NULL REFERENCES prompt_versions(id),
  job_id             TEXT NOT NULL DEFAULT '',
  engine             TEXT NOT NULL,
  params             TEXT NOT NULL,
  brief              TEXT NOT NULL,
  state              TEXT NOT NULL DEFAULT 'running'
                     CHECK (state IN ('running', 'succeeded', 'failed', 'canceled')),
  requested_by       TEXT NOT NULL,
  created_at         INTEGER NOT NULL,
  finished_at        INTEGER
);
CREATE INDEX generations_by_campaign ON generations(campaign_id, id);
CREATE INDEX generations_by_prompt ON generations(prompt_version_id);

CREATE TABLE generation_references (
  generation_id  TEXT NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
  asset_id       TEXT NOT NULL,
  PRIMARY KEY (generation_id, asset_id)
);
CREATE INDEX generation_references_by_asset ON generation_references(asset_id);

CREATE TABLE generation_images (
  generation_id  TEXT NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
  slot           INTEGER NOT NULL,
  workspace_id   TEXT NOT NULL REFERENCES workspaces(id),
  seed           INTEGER NOT NULL,
  variant        TEXT NOT NULL DEFAULT '',
  prompt         TEXT NOT NULL,
  outcome        TEXT NOT NULL CHECK (outcome IN ('ok', 'refused', 'failed')),
  reason         TEXT NOT NULL DEFAULT '',
  asset_id       TEXT REFERENCES assets(id) ON DELETE SET NULL,
  model          TEXT NOT NULL DEFAULT '',
  took_ms        REAL NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (generation_id, slot)
);
CREATE INDEX generation_images_by_asset ON generation_images(asset_id);

-- Every review decision.
CREATE TABLE reviews (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces(id),
  asset_id      TEXT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
  decision      TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
  reason        TEXT NOT NULL DEFAULT '',
  reviewer      TEXT NOT NULL,
  at            INTEGER NOT NULL
);
CREATE INDEX reviews_by_asset ON reviews(asset_id, id);
CREATE INDEX assets_by_review ON assets(workspace_id, review_state);
)sql"},
  };
  return kMigrations;
}

}  // namespace adloom::sqlite
