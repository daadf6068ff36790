-- threadctl embedded store (docs/format.md, "SQLite layout").
--
-- The first four tables mirror the Postgres layout column for column, with
-- types mapped to SQLite's:
--   * ids (checkpoint id, parent id) are TEXT, lowercase hyphenated UUIDs, so
--     text order is UUID order (equal-step ties break on the greatest id);
--   * `ts` columns are RFC 3339 UTC text as written by `format_timestamp`;
--   * `memory_items.expires_at` is RFC 3339 UTC with exactly six fractional
--     digits, so text order is time order;
--   * JSON (`state`, `event`, `value`) is stored as JSON text; `state` holds
--     the same object the Postgres `state` column holds (schema_version,
--     state, and at v2 metadata and checksum).
-- No row-level security: the file belongs to one user.

CREATE TABLE IF NOT EXISTS checkpoints (
    tenant_id TEXT    NOT NULL,
    thread_id TEXT    NOT NULL,
    id        TEXT    NOT NULL,
    parent_id TEXT,
    step      INTEGER NOT NULL,
    state     TEXT    NOT NULL,
    next_node TEXT,
    ts        TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, thread_id, id)
);

CREATE INDEX IF NOT EXISTS checkpoints_by_step
    ON checkpoints (tenant_id, thread_id, step DESC, id DESC);

CREATE INDEX IF NOT EXISTS checkpoints_by_parent
    ON checkpoints (tenant_id, thread_id, parent_id)
    WHERE parent_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS session_events (
    tenant_id TEXT    NOT NULL,
    thread_id TEXT    NOT NULL,
    seq       INTEGER NOT NULL,
    event     TEXT    NOT NULL,
    ts        TEXT    NOT NULL,
    PRIMARY KEY (tenant_id, thread_id, seq)
);

CREATE TABLE IF NOT EXISTS memory_items (
    tenant_id  TEXT NOT NULL,
    namespace  TEXT NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    ts         TEXT NOT NULL,
    expires_at TEXT,
    PRIMARY KEY (tenant_id, namespace, key)
);

CREATE TABLE IF NOT EXISTS schema_version (
    component  TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    applied_at TEXT    NOT NULL
);

-- threadctl's own: per-thread log bounds. `watermark` is the highest
-- archived ordinal, `last_seq` the highest ordinal ever appended, so
-- numbering continues after everything was archived.
CREATE TABLE IF NOT EXISTS threadctl_session_log (
    tenant_id TEXT    NOT NULL,
    thread_id TEXT    NOT NULL,
    watermark INTEGER NOT NULL DEFAULT 0,
    last_seq  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, thread_id)
);

-- threadctl's own: session locks as rows. `key` is the Redis lock key of
-- the thread (`entelix:lock:<16 hex>`), `expires_at` milliseconds since the
-- Unix epoch; a row whose expiry has passed is free.
CREATE TABLE IF NOT EXISTS threadctl_locks (
    key        TEXT    PRIMARY KEY,
    tenant_id  TEXT    NOT NULL,
    thread_id  TEXT    NOT NULL,
    token      TEXT    NOT NULL,
    expires_at INTEGER NOT NULL
);
