-- The reference's layout (docs/format.md, "Postgres layout"), created by threadctl
-- on an empty schema so that the reference's services then accept it.
-- Runs inside threadctl's setup transaction, only when `checkpoints` is absent.

CREATE TABLE IF NOT EXISTS checkpoints (
    tenant_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    id UUID NOT NULL,
    parent_id UUID,
    step BIGINT NOT NULL,
    state JSONB NOT NULL,
    next_node TEXT,
    ts TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, thread_id, id)
);
CREATE INDEX IF NOT EXISTS checkpoints_thread_step_idx
    ON checkpoints (tenant_id, thread_id, step DESC, ts DESC);
CREATE INDEX IF NOT EXISTS checkpoints_parent_idx
    ON checkpoints (tenant_id, thread_id, parent_id) WHERE parent_id IS NOT NULL;

CREATE TABLE IF NOT EXISTS session_events (
    tenant_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    event JSONB NOT NULL,
    ts TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, thread_id, seq)
);

CREATE TABLE IF NOT EXISTS memory_items (
    tenant_id TEXT NOT NULL,
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value JSONB NOT NULL,
    ts TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ,
    PRIMARY KEY (tenant_id, namespace, key)
);

CREATE TABLE IF NOT EXISTS schema_version (
    component TEXT PRIMARY KEY,
    version BIGINT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO schema_version (component, version) VALUES ('entelix-persistence', 2)
    ON CONFLICT (component) DO NOTHING;

ALTER TABLE checkpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE checkpoints FORCE ROW LEVEL SECURITY;
ALTER TABLE session_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE session_events FORCE ROW LEVEL SECURITY;
ALTER TABLE memory_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE memory_items FORCE ROW LEVEL SECURITY;

DO $$
DECLARE
    t TEXT;
BEGIN
    FOREACH t IN ARRAY ARRAY['checkpoints', 'session_events', 'memory_items'] LOOP
        IF NOT EXISTS (
            SELECT 1 FROM pg_policies
            WHERE schemaname = current_schema() AND tablename = t AND policyname = 'tenant_isolation'
        ) THEN
            EXECUTE format(
                'CREATE POLICY tenant_isolation ON %I '
                'USING (tenant_id = current_setting(''entelix.tenant_id'', true)) '
                'WITH CHECK (tenant_id = current_setting(''entelix.tenant_id'', true))',
                t);
        END IF;
    END LOOP;
END
$$;

-- Recorded the way sqlx records applied migrations, so the reference's own
-- migration step at start-up finds both versions applied.
CREATE TABLE IF NOT EXISTS _sqlx_migrations (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
    success BOOLEAN NOT NULL,
    checksum BYTEA NOT NULL,
    execution_time BIGINT NOT NULL
);
INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES
    (20260426000000, 'initial', TRUE,
     decode('b9281f928b1e5484f9fd0fd659512046ad8ac866a7ecebfad994cfdc163121c175b1b91280869672ddd1febcf4c8e150', 'hex'), 0),
    (20260501000001, 'row level security', TRUE,
     decode('c49538bdf855fa3d45aee8eca4ab872f6067fe9f34a608da6f75677de7d92c234e809d5d1847ff5e2e4d1bed67be2e90', 'hex'), 0)
    ON CONFLICT (version) DO NOTHING;
