-- threadctl's migration 4: writers that only add a new checkpoint share
-- the thread's checkpoint-writer lock.
-- A put without an expect-latest check and a fork decide nothing from the
-- rows of other writers (a duplicate id is caught by the primary key), so
-- they need only exclude the writers that do: a checked put (its check and
-- insert must be one step), batch writes that overwrite, and deletes (a
-- fork's parent must not change between its read and the insert). They
-- now take the lock shared, so concurrent forks and puts of one thread
-- commit together instead of one fsync after another; every other writer
-- keeps the exclusive lock on the same key.

-- The thread's single-int checkpoint-writer key (never a two-int session
-- lock pair).
CREATE OR REPLACE FUNCTION threadctl_cp_lock_key(p_tenant TEXT, p_thread TEXT)
RETURNS BIGINT
LANGUAGE sql IMMUTABLE AS $$
    SELECT hashtextextended(format('threadctl:cp:%s:%s:%s', length(p_tenant), p_tenant, p_thread), 0)
$$;

-- The exclusive writer lock until the caller's transaction ends.
CREATE OR REPLACE FUNCTION threadctl_cp_lock(p_tenant TEXT, p_thread TEXT)
RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(threadctl_cp_lock_key(p_tenant, p_thread));
END
$$;

-- The shared writer lock until the caller's transaction ends: held with
-- other shared holders, never with an exclusive one.
CREATE OR REPLACE FUNCTION threadctl_cp_lock_shared(p_tenant TEXT, p_thread TEXT)
RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(threadctl_cp_lock_key(p_tenant, p_thread));
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
    IF p_check THEN
        PERFORM threadctl_cp_lock(p_tenant, p_thread);
        SELECT c.id INTO v_latest FROM checkpoints c
        WHERE c.tenant_id = p_tenant AND c.thread_id = p_thread
        ORDER BY c.step DESC, c.id DESC LIMIT 1;
        IF v_latest IS DISTINCT FROM p_expect THEN
            RETURN QUERY SELECT 'stale'::TEXT, v_latest;
            RETURN;
        END IF;
    ELSE
        PERFORM threadctl_cp_lock_shared(p_tenant, p_thread);
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
    PERFORM threadctl_cp_lock_shared(p_tenant, p_thread);
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
