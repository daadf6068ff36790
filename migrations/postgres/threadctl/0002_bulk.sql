-- threadctl's bulk operations: migration 2. Like migration 1, every
-- function scopes its transaction to the tenant first, so one call is one
-- statement and row-level security still applies.

-- Writes a batch of one thread's checkpoints exactly as given, in one
-- statement, under the thread's checkpoint-writer lock. With p_replace an
-- existing id is overwritten; without, existing ids are left alone and
-- returned, as stored before this call, for the caller to compare.
CREATE OR REPLACE FUNCTION threadctl_cp_write_batch(
    p_tenant TEXT, p_thread TEXT, p_replace BOOLEAN,
    p_ids UUID[], p_parents UUID[], p_steps BIGINT[], p_states JSONB[],
    p_nexts TEXT[], p_ts TIMESTAMPTZ[])
RETURNS TABLE (id UUID, parent_id UUID, step BIGINT, state JSONB, next_node TEXT, ts TIMESTAMPTZ)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    PERFORM threadctl_cp_lock(p_tenant, p_thread);
    IF p_replace THEN
        INSERT INTO checkpoints AS c (tenant_id, thread_id, id, parent_id, step, state, next_node, ts)
        SELECT p_tenant, p_thread, b.id, b.parent_id, b.step, b.state, b.next_node, b.ts
        FROM unnest(p_ids, p_parents, p_steps, p_states, p_nexts, p_ts)
             AS b (id, parent_id, step, state, next_node, ts)
        ON CONFLICT (tenant_id, thread_id, id) DO UPDATE
        SET parent_id = EXCLUDED.parent_id, step = EXCLUDED.step, state = EXCLUDED.state,
            next_node = EXCLUDED.next_node, ts = EXCLUDED.ts;
        RETURN;
    END IF;
    -- A data-modifying CTE always runs to completion, and the outer query
    -- reads the snapshot from before it: it sees exactly the rows that
    -- were already there.
    RETURN QUERY
    WITH inserted AS (
        INSERT INTO checkpoints (tenant_id, thread_id, id, parent_id, step, state, next_node, ts)
        SELECT p_tenant, p_thread, b.id, b.parent_id, b.step, b.state, b.next_node, b.ts
        FROM unnest(p_ids, p_parents, p_steps, p_states, p_nexts, p_ts)
             AS b (id, parent_id, step, state, next_node, ts)
        ON CONFLICT (tenant_id, thread_id, id) DO NOTHING
        RETURNING 1
    )
    SELECT c.id, c.parent_id, c.step, c.state, c.next_node, c.ts
    FROM checkpoints c
    WHERE c.tenant_id = p_tenant AND c.thread_id = p_thread AND c.id = ANY (p_ids);
END
$$;

-- Up to p_limit (tenant, thread) pairs with checkpoints after the given
-- pair, in key order: one tenant's when p_tenant is given (scoped to it,
-- so row-level security admits its rows), every tenant's otherwise.
CREATE OR REPLACE FUNCTION threadctl_thread_page(
    p_tenant TEXT, p_after_tenant TEXT, p_after_thread TEXT, p_limit BIGINT)
RETURNS TABLE (tenant_id TEXT, thread_id TEXT)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    IF p_tenant IS NOT NULL THEN
        PERFORM set_config('entelix.tenant_id', p_tenant, true);
    END IF;
    RETURN QUERY SELECT DISTINCT c.tenant_id, c.thread_id FROM checkpoints c
    WHERE (p_tenant IS NULL OR c.tenant_id = p_tenant)
      AND (p_after_tenant IS NULL OR (c.tenant_id, c.thread_id) > (p_after_tenant, p_after_thread))
    ORDER BY c.tenant_id, c.thread_id
    LIMIT p_limit;
END
$$;

-- Deletes the given checkpoints of one thread in one statement, under the
-- thread's checkpoint-writer lock; returns how many there were.
CREATE OR REPLACE FUNCTION threadctl_cp_delete(p_tenant TEXT, p_thread TEXT, p_ids UUID[])
RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    v_deleted BIGINT;
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    PERFORM threadctl_cp_lock(p_tenant, p_thread);
    DELETE FROM checkpoints c
    WHERE c.tenant_id = p_tenant AND c.thread_id = p_thread AND c.id = ANY (p_ids);
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    RETURN v_deleted;
END
$$;

-- Deletes a whole thread: its checkpoints, session events and archive
-- watermark, in one transaction; returns how many checkpoints and events
-- there were.
CREATE OR REPLACE FUNCTION threadctl_thread_delete(p_tenant TEXT, p_thread TEXT)
RETURNS TABLE (checkpoints BIGINT, events BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
    v_checkpoints BIGINT;
    v_events BIGINT;
BEGIN
    PERFORM set_config('entelix.tenant_id', p_tenant, true);
    PERFORM threadctl_cp_lock(p_tenant, p_thread);
    DELETE FROM checkpoints c WHERE c.tenant_id = p_tenant AND c.thread_id = p_thread;
    GET DIAGNOSTICS v_checkpoints = ROW_COUNT;
    DELETE FROM session_events e WHERE e.tenant_id = p_tenant AND e.thread_id = p_thread;
    GET DIAGNOSTICS v_events = ROW_COUNT;
    DELETE FROM threadctl_session_watermarks w
    WHERE w.tenant_id = p_tenant AND w.thread_id = p_thread;
    RETURN QUERY SELECT v_checkpoints, v_events;
END
$$;

-- Single verbatim writes were replaced by the batch above.
DROP FUNCTION IF EXISTS threadctl_cp_write(TEXT, TEXT, UUID, UUID, BIGINT, JSONB, TEXT, TIMESTAMPTZ, BOOLEAN);
