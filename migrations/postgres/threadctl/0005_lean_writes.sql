-- threadctl's migration 5: two costs found in the server's own timings
-- (auto_explain of `threadctl bench`), both paid on every write.
--
-- 1. threadctl_cp_lock_key was declared IMMUTABLE around format(), which
--    is only STABLE, so the planner never inlined it: every call ran the
--    SQL function's body through its own parse and plan (about 25 us of
--    the 40 us a put without a check spent over its INSERT). Declared
--    STABLE, as its body is, it is inlined into the caller's expression.
--    The key itself is unchanged.
-- 2. An append took the log's last ordinal as max(seq). With few rows in
--    the table's statistics the generic plan PL/pgSQL switches to after
--    five calls aggregated every event of the thread (an index scan of
--    the whole log and a heap fetch per event, growing with the log: a
--    log of 10,000 events cost ~1 ms per append) instead of reading the
--    last index entry. The last ordinal is now the first row of the
--    primary key read backwards (ORDER BY seq DESC LIMIT 1), a plan with
--    no aggregate to choose instead, whatever the statistics say.

CREATE OR REPLACE FUNCTION threadctl_cp_lock_key(p_tenant TEXT, p_thread TEXT)
RETURNS BIGINT
LANGUAGE sql STABLE AS $$
    SELECT hashtextextended(format('threadctl:cp:%s:%s:%s', length(p_tenant), p_tenant, p_thread), 0)
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
        coalesce((SELECT e.seq FROM session_events e
                  WHERE e.tenant_id = p_tenant AND e.thread_id = p_thread
                  ORDER BY e.seq DESC LIMIT 1), 0),
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
