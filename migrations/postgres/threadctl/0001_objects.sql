-- threadctl's own, additive objects: migration 1, recorded in table
-- `threadctl_migrations` with this file's checksum once it has run.
-- Every function is SECURITY INVOKER (the default), so the caller's
-- row-level security still applies; each first scopes the transaction to
-- the tenant, then does its work, so one call is one statement, one
-- implicit transaction and one round trip. Functions are CREATE OR REPLACE,
-- so running this file again upgrades an older setup in place.

-- The watermark table is new to roles already granted on the reference's
-- tables: when it is created here, every role gets on it the privileges
-- it holds directly on session_events (the owner's included), so those
-- roles can keep appending and archiving.
DO $$
DECLARE
    r RECORD;
BEGIN
    IF to_regclass(format('%I.threadctl_session_watermarks', current_schema())) IS NOT NULL THEN
        RETURN;
    END IF;
    CREATE TABLE threadctl_session_watermarks (
        tenant_id TEXT NOT NULL,
        thread_id TEXT NOT NULL,
        watermark BIGINT NOT NULL,
        PRIMARY KEY (tenant_id, thread_id)
    );
    ALTER TABLE threadctl_session_watermarks ENABLE ROW LEVEL SECURITY;
    ALTER TABLE threadctl_session_watermarks FORCE ROW LEVEL SECURITY;
    CREATE POLICY tenant_isolation ON threadctl_session_watermarks
        USING (tenant_id = current_setting('entelix.tenant_id', true))
        WITH CHECK (tenant_id = current_setting('entelix.tenant_id', true));
    FOR r IN
        SELECT DISTINCT a.grantee, a.privilege_type
        FROM pg_class c,
             aclexplode(coalesce(c.relacl, acldefault('r', c.relowner))) a
        WHERE c.oid = to_regclass(format('%I.session_events', current_schema()))
          AND a.privilege_type IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE')
          AND a.grantee IS DISTINCT FROM (SELECT oid FROM pg_roles WHERE rolname = current_user)
    LOOP
        IF r.grantee = 0 THEN
            EXECUTE format('GRANT %s ON threadctl_session_watermarks TO PUBLIC', r.privilege_type);
        ELSE
            EXECUTE format('GRANT %s ON threadctl_session_watermarks TO %I',
                           r.privilege_type, (SELECT rolname FROM pg_roles WHERE oid = r.grantee));
        END IF;
    END LOOP;
END
$$;

-- Checkpoints -------------------------------------------------------------

-- Serializes the checkpoint writers of one thread (put with its
-- expect-latest check, fork) until the caller's transaction ends, so a
-- check and the insert after it are one atomic step. Single-int key: it
-- never meets the two-int session lock.
CREATE OR REPLACE FUNCTION threadctl_cp_lock(p_tenant TEXT, p_thread TEXT)
RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(
        hashtextextended(format('threadctl:cp:%s:%s:%s', length(p_tenant), p_tenant, p_thread), 0));
END
$$;

CREATE OR REPLACE FUNCTION threadctl_cp_put(
    p_tenant TEXT, p_thread TEXT, p_id UUID, p_parent UUID, p_step BIGINT,
    p_state JSONB, p_next TEXT, p_ts TIMESTAMPTZ, p_check BOOLEAN, p_expect UUID)
RETURNS TABLE (outcome TEXT, latest UUID)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_latest UUID;
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    PERFORM threadctl_cp_lock(p_tenant, p_thread);
    IF p_check THEN
        SELECT c.id INTO v_latest FROM checkpoints c
        WHERE c.tenant_id = p_tenant AND c.thread_id = p_thread
        ORDER BY c.step DESC, c.id DESC LIMIT 1;
        IF v_latest IS DISTINCT FROM p_expect THEN
            RETURN QUERY SELECT 'stale'::TEXT, v_latest;
            RETURN;
        END IF;
    END IF;
    INSERT INTO checkpoints (tenant_id, thread_id, id, parent_id, step, state, next_node, ts)
    VALUES (p_tenant, p_thread, p_id, p_parent, p_step, p_state, p_next, p_ts)
    ON CONFLICT (tenant_id, thread_id, id) DO NOTHING;
    IF NOT FOUND THEN
        RETURN QUERY SELECT 'duplicate'::TEXT, NULL::UUID;
        RETURN;
    END IF;
    RETURN QUERY SELECT 'ok'::TEXT, p_id;
END
$$;

CREATE OR REPLACE FUNCTION threadctl_cp_latest(p_tenant TEXT, p_thread TEXT)
RETURNS SETOF checkpoints
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    RETURN QUERY SELECT c.* FROM checkpoints c
    WHERE c.tenant_id = p_tenant AND c.thread_id = p_thread
    ORDER BY c.step DESC, c.id DESC LIMIT 1;
END
$$;

CREATE OR REPLACE FUNCTION threadctl_cp_get(p_tenant TEXT, p_thread TEXT, p_id UUID)
RETURNS SETOF checkpoints
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    RETURN QUERY SELECT c.* FROM checkpoints c
    WHERE c.tenant_id = p_tenant AND c.thread_id = p_thread AND c.id = p_id;
END
$$;

CREATE OR REPLACE FUNCTION threadctl_cp_history(
    p_tenant TEXT, p_thread TEXT, p_limit BIGINT, p_before UUID)
RETURNS SETOF checkpoints
LANGUAGE plpgsql AS $$
DECLARE
    v_step BIGINT;
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    IF p_before IS NULL THEN
        RETURN QUERY SELECT c.* FROM checkpoints c
        WHERE c.tenant_id = p_tenant AND c.thread_id = p_thread
        ORDER BY c.step DESC, c.id DESC LIMIT p_limit;
        RETURN;
    END IF;
    SELECT c.step INTO v_step FROM checkpoints c
    WHERE c.tenant_id = p_tenant AND c.thread_id = p_thread AND c.id = p_before;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002',
            MESSAGE = format('checkpoint %s is not in thread %s/%s', p_before, p_tenant, p_thread);
    END IF;
    RETURN QUERY SELECT c.* FROM checkpoints c
    WHERE c.tenant_id = p_tenant AND c.thread_id = p_thread
      AND (c.step, c.id) < (v_step, p_before)
    ORDER BY c.step DESC, c.id DESC LIMIT p_limit;
END
$$;

CREATE OR REPLACE FUNCTION threadctl_cp_fork(
    p_tenant TEXT, p_thread TEXT, p_parent UUID, p_id UUID, p_state JSONB, p_ts TIMESTAMPTZ)
RETURNS TABLE (step BIGINT, next_node TEXT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_step BIGINT;
    v_next TEXT;
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    PERFORM threadctl_cp_lock(p_tenant, p_thread);
    SELECT c.step, c.next_node INTO v_step, v_next FROM checkpoints c
    WHERE c.tenant_id = p_tenant AND c.thread_id = p_thread AND c.id = p_parent;
    IF NOT FOUND THEN
        RAISE EXCEPTION USING ERRCODE = 'P0002',
            MESSAGE = format('checkpoint %s is not in thread %s/%s', p_parent, p_tenant, p_thread);
    END IF;
    INSERT INTO checkpoints (tenant_id, thread_id, id, parent_id, step, state, next_node, ts)
    VALUES (p_tenant, p_thread, p_id, p_parent, v_step + 1, p_state, v_next, p_ts);
    RETURN QUERY SELECT v_step + 1, v_next;
END
$$;

CREATE OR REPLACE FUNCTION threadctl_cp_page(
    p_tenant TEXT, p_thread TEXT, p_after_step BIGINT, p_after_id UUID, p_limit BIGINT)
RETURNS SETOF checkpoints
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    RETURN QUERY SELECT c.* FROM checkpoints c
    WHERE c.tenant_id = p_tenant AND c.thread_id = p_thread
      AND (p_after_step IS NULL OR (c.step, c.id) > (p_after_step, p_after_id))
    ORDER BY c.step, c.id LIMIT p_limit;
END
$$;

CREATE OR REPLACE FUNCTION threadctl_cp_write(
    p_tenant TEXT, p_thread TEXT, p_id UUID, p_parent UUID, p_step BIGINT,
    p_state JSONB, p_next TEXT, p_ts TIMESTAMPTZ, p_overwrite BOOLEAN)
RETURNS TEXT
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    IF p_overwrite THEN
        UPDATE checkpoints c
        SET parent_id = p_parent, step = p_step, state = p_state, next_node = p_next, ts = p_ts
        WHERE c.tenant_id = p_tenant AND c.thread_id = p_thread AND c.id = p_id;
        IF NOT FOUND THEN
            RETURN 'missing';
        END IF;
    ELSE
        INSERT INTO checkpoints (tenant_id, thread_id, id, parent_id, step, state, next_node, ts)
        VALUES (p_tenant, p_thread, p_id, p_parent, p_step, p_state, p_next, p_ts)
        ON CONFLICT (tenant_id, thread_id, id) DO NOTHING;
        IF NOT FOUND THEN
            RETURN 'duplicate';
        END IF;
    END IF;
    RETURN 'ok';
END
$$;

CREATE OR REPLACE FUNCTION threadctl_threads(p_tenant TEXT)
RETURNS TABLE (thread_id TEXT, checkpoints BIGINT, latest_step BIGINT, last_write TIMESTAMPTZ)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    -- last_write is the timestamp of the latest checkpoint (highest step,
    -- then greatest id), not the newest timestamp of any checkpoint.
    RETURN QUERY SELECT DISTINCT ON (c.thread_id)
        c.thread_id, count(*) OVER (PARTITION BY c.thread_id), c.step, c.ts
    FROM checkpoints c
    WHERE c.tenant_id = p_tenant
    ORDER BY c.thread_id, c.step DESC, c.id DESC;
END
$$;

-- Store ------------------------------------------------------------------

CREATE OR REPLACE FUNCTION threadctl_store_put(
    p_tenant TEXT, p_ns TEXT, p_key TEXT, p_value JSONB, p_ttl_ms BIGINT)
RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    INSERT INTO memory_items (tenant_id, namespace, key, value, ts, expires_at)
    VALUES (p_tenant, p_ns, p_key, p_value, now(),
            CASE WHEN p_ttl_ms IS NULL THEN NULL
                 ELSE now() + p_ttl_ms * INTERVAL '1 millisecond' END)
    ON CONFLICT (tenant_id, namespace, key) DO UPDATE
    SET value = EXCLUDED.value, ts = EXCLUDED.ts, expires_at = EXCLUDED.expires_at;
END
$$;

CREATE OR REPLACE FUNCTION threadctl_store_get(p_tenant TEXT, p_ns TEXT, p_key TEXT)
RETURNS TABLE (value JSONB, expires_at TIMESTAMPTZ)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    RETURN QUERY SELECT m.value, m.expires_at FROM memory_items m
    WHERE m.tenant_id = p_tenant AND m.namespace = p_ns AND m.key = p_key
      AND (m.expires_at IS NULL OR m.expires_at > now());
END
$$;

CREATE OR REPLACE FUNCTION threadctl_store_delete(p_tenant TEXT, p_ns TEXT, p_key TEXT)
RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
    v_live BOOLEAN;
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    DELETE FROM memory_items m
    WHERE m.tenant_id = p_tenant AND m.namespace = p_ns AND m.key = p_key
    RETURNING (m.expires_at IS NULL OR m.expires_at > now()) INTO v_live;
    RETURN coalesce(v_live, false);
END
$$;

CREATE OR REPLACE FUNCTION threadctl_store_keys(p_tenant TEXT, p_ns TEXT, p_prefix TEXT)
RETURNS SETOF TEXT
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    RETURN QUERY SELECT m.key FROM memory_items m
    WHERE m.tenant_id = p_tenant AND m.namespace = p_ns
      AND left(m.key, length(p_prefix)) = p_prefix
      AND (m.expires_at IS NULL OR m.expires_at > now());
END
$$;

CREATE OR REPLACE FUNCTION threadctl_store_namespaces(p_tenant TEXT, p_prefix TEXT)
RETURNS SETOF TEXT
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    RETURN QUERY SELECT DISTINCT m.namespace FROM memory_items m
    WHERE m.tenant_id = p_tenant
      AND (m.namespace = p_prefix OR left(m.namespace, length(p_prefix) + 1) = p_prefix || ':')
      AND (m.expires_at IS NULL OR m.expires_at > now());
END
$$;

CREATE OR REPLACE FUNCTION threadctl_store_evict(p_tenant TEXT)
RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    v_count BIGINT;
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    DELETE FROM memory_items m WHERE m.tenant_id = p_tenant AND m.expires_at <= now();
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;

-- Session events ---------------------------------------------------------

-- Appends and archives of one thread are serialized by the thread's
-- session-lock pair taken transaction-level, like the reference, so they
-- wait for a session-lock holder; p_wait_ms bounds that wait (lock_timeout,
-- SQLSTATE 55P03 when it runs out). A NULL p_wait_ms means the caller runs
-- under the session lock held by another session on its behalf (`lock
-- run`), so it must not wait for that lock; such callers are serialized
-- among themselves by a single-int key instead.
DROP FUNCTION IF EXISTS threadctl_events_append(TEXT, TEXT, INTEGER, INTEGER, JSONB);
DROP FUNCTION IF EXISTS threadctl_events_archive(TEXT, TEXT, INTEGER, INTEGER, BIGINT);

CREATE OR REPLACE FUNCTION threadctl_events_lock(
    p_tenant TEXT, p_thread TEXT, p_hi INTEGER, p_lo INTEGER, p_wait_ms BIGINT)
RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
    v_old TEXT;
BEGIN
    IF p_wait_ms IS NULL THEN
        PERFORM pg_advisory_xact_lock(hashtextextended(
            format('threadctl:events:%s:%s:%s', length(p_tenant), p_tenant, p_thread), 0));
        RETURN;
    END IF;
    v_old := current_setting('lock_timeout');
    PERFORM set_config('lock_timeout', greatest(p_wait_ms, 1)::TEXT, true);
    PERFORM pg_advisory_xact_lock(p_hi, p_lo);
    PERFORM set_config('lock_timeout', v_old, true);
END
$$;

-- Watermark: the highest archived ordinal, remembered by threadctl, or
-- below the oldest remaining event when only the reference archived.
CREATE OR REPLACE FUNCTION threadctl_events_bounds(p_tenant TEXT, p_thread TEXT)
RETURNS TABLE (watermark BIGINT, last BIGINT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    v_stored BIGINT;
    v_min BIGINT;
    v_max BIGINT;
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    SELECT w.watermark INTO v_stored FROM threadctl_session_watermarks w
    WHERE w.tenant_id = p_tenant AND w.thread_id = p_thread;
    SELECT min(e.seq), max(e.seq) INTO v_min, v_max FROM session_events e
    WHERE e.tenant_id = p_tenant AND e.thread_id = p_thread;
    RETURN QUERY SELECT greatest(coalesce(v_stored, 0), coalesce(v_min - 1, 0)),
                        greatest(coalesce(v_stored, 0), coalesce(v_max, 0));
END
$$;

CREATE OR REPLACE FUNCTION threadctl_events_append(
    p_tenant TEXT, p_thread TEXT, p_hi INTEGER, p_lo INTEGER, p_events JSONB,
    p_wait_ms BIGINT)
RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    v_base BIGINT;
    v_count BIGINT;
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    PERFORM threadctl_events_lock(p_tenant, p_thread, p_hi, p_lo, p_wait_ms);
    SELECT greatest(
        coalesce((SELECT max(e.seq) FROM session_events e
                  WHERE e.tenant_id = p_tenant AND e.thread_id = p_thread), 0),
        coalesce((SELECT w.watermark FROM threadctl_session_watermarks w
                  WHERE w.tenant_id = p_tenant AND w.thread_id = p_thread), 0))
    INTO v_base;
    INSERT INTO session_events (tenant_id, thread_id, seq, event, ts)
    SELECT p_tenant, p_thread, v_base + x.ord, x.ev, now()
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, ord);
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_base + v_count;
END
$$;

CREATE OR REPLACE FUNCTION threadctl_events_load(
    p_tenant TEXT, p_thread TEXT, p_after BIGINT, p_limit BIGINT)
RETURNS TABLE (seq BIGINT, event JSONB)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    RETURN QUERY SELECT e.seq, e.event FROM session_events e
    WHERE e.tenant_id = p_tenant AND e.thread_id = p_thread AND e.seq > p_after
    ORDER BY e.seq LIMIT p_limit;
END
$$;

CREATE OR REPLACE FUNCTION threadctl_events_archive(
    p_tenant TEXT, p_thread TEXT, p_hi INTEGER, p_lo INTEGER, p_through BIGINT,
    p_wait_ms BIGINT)
RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    v_stored BIGINT;
    v_min BIGINT;
    v_max BIGINT;
    v_old BIGINT;
    v_new BIGINT;
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    PERFORM threadctl_events_lock(p_tenant, p_thread, p_hi, p_lo, p_wait_ms);
    SELECT w.watermark INTO v_stored FROM threadctl_session_watermarks w
    WHERE w.tenant_id = p_tenant AND w.thread_id = p_thread;
    SELECT min(e.seq), max(e.seq) INTO v_min, v_max FROM session_events e
    WHERE e.tenant_id = p_tenant AND e.thread_id = p_thread;
    v_old := greatest(coalesce(v_stored, 0), coalesce(v_min - 1, 0));
    v_new := greatest(v_old, least(p_through, greatest(coalesce(v_stored, 0), coalesce(v_max, 0))));
    DELETE FROM session_events e
    WHERE e.tenant_id = p_tenant AND e.thread_id = p_thread AND e.seq <= v_new;
    IF v_new > coalesce(v_stored, 0) THEN
        INSERT INTO threadctl_session_watermarks AS w (tenant_id, thread_id, watermark)
        VALUES (p_tenant, p_thread, v_new)
        ON CONFLICT (tenant_id, thread_id) DO UPDATE
        SET watermark = greatest(w.watermark, EXCLUDED.watermark);
    END IF;
    RETURN v_new;
END
$$;
