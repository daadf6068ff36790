-- threadctl's migration 4: checkpoint writers that check nothing share the
-- thread's checkpoint-writer lock instead of queueing for it.
-- The lock (migration 1, `threadctl_cp_lock`) exists so that a put with an
-- expect-latest check and its insert are one atomic step. Before, every
-- put and fork took it exclusively, so concurrent forks (or unchecked
-- puts) of one thread committed one at a time, each waiting out the
-- others' commits. Now a checked put takes it exclusively and an unchecked
-- put or a fork takes it shared: they still wait for, and hold off, any
-- checked put or batch write of the thread, but not each other. The key is
-- unchanged, so a process still on migration 3's functions (exclusive
-- only) keeps excluding them.

CREATE OR REPLACE FUNCTION threadctl_cp_lock_shared(p_tenant TEXT, p_thread TEXT)
RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(
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
