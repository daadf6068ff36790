-- threadctl's migration 3: an index in threadctl's own checkpoint order.
-- Latest, history, page and the thread listing order a thread's
-- checkpoints by (step, id); the reference's index is on (step, ts), so
-- without this one every such query sorts all of the thread's rows.
-- Additive: the reference's queries and indexes are untouched.
CREATE INDEX IF NOT EXISTS threadctl_checkpoints_order_idx
    ON checkpoints (tenant_id, thread_id, step DESC, id DESC);
