-- Writes one new checkpoint: sorted-set member and hash field together.
-- KEYS: bystep, byid.
-- ARGV: id, step, envelope, tenant, thread, check_owners ('1'/'0'),
--       check_latest ('1'/'0'), expected latest ('' = the thread is empty),
--       parent id ('' = none), parent envelope the caller read.
-- Replies: {'ok'} | {'duplicate'} | {'stale', latest or ''}
--        | {'foreign', id, tenant, thread} | {'undecodable', id}
--        | {'parent_changed'}
local bystep, byid = KEYS[1], KEYS[2]
local id, step, envelope = ARGV[1], ARGV[2], ARGV[3]
local tenant, thread = ARGV[4], ARGV[5]

if ARGV[6] == '1' then
  local refusal = foreign_record(bystep, byid, tenant, thread)
  if refusal then return refusal end
end

if redis.call('HEXISTS', byid, id) == 1 or redis.call('ZSCORE', bystep, id) then
  return {'duplicate'}
end

if ARGV[7] == '1' then
  local top = redis.call('ZREVRANGE', bystep, 0, 0)
  local latest = top[1] or ''
  if latest ~= ARGV[8] then return {'stale', latest} end
end

if ARGV[9] ~= '' and redis.call('HGET', byid, ARGV[9]) ~= ARGV[10] then
  return {'parent_changed'}
end

redis.call('ZADD', bystep, step, id)
redis.call('HSET', byid, id, envelope)
return {'ok'}
