-- Deletes checkpoints of one (tenant, thread) atomically, never another
-- pair's records in keys two pairs share.
-- KEYS: bystep, byid, events, watermark.
-- ARGV: what ('ids' | 'thread'), check_owners ('1'/'0'), tenant, thread,
--       then for 'ids' the checkpoint ids.
-- 'ids' deletes those checkpoints; 'thread' deletes every checkpoint of
-- the pair and its session log (events and watermark), the log only when
-- no other pair's checkpoints remain in the shared keys.
-- Replies: {'ok', checkpoints deleted, events deleted, log kept ('1'/'0')}
local bystep, byid, events, watermark = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local check = ARGV[2] == '1'

local function ours(raw)
  if not check then return true end
  local t, th = owner_of(raw)
  return t == ARGV[3] and th == ARGV[4]
end

local deleted = 0
local function delete(id)
  local raw = redis.call('HGET', byid, id)
  if raw and not ours(raw) then return end
  if raw or redis.call('ZSCORE', bystep, id) then
    redis.call('ZREM', bystep, id)
    redis.call('HDEL', byid, id)
    deleted = deleted + 1
  end
end

if ARGV[1] == 'ids' then
  for i = 5, #ARGV do delete(ARGV[i]) end
  return {'ok', deleted, 0, '0'}
end

if not check then
  deleted = redis.call('ZCARD', bystep)
  local n = redis.call('LLEN', events)
  redis.call('DEL', bystep, byid, events, watermark)
  return {'ok', deleted, n, '0'}
end

local members = redis.call('ZRANGE', bystep, 0, -1)
for _, id in ipairs(members) do delete(id) end
if redis.call('ZCARD', bystep) > 0 or redis.call('HLEN', byid) > 0 then
  return {'ok', deleted, 0, '1'}
end
local n = redis.call('LLEN', events)
redis.call('DEL', events, watermark)
return {'ok', deleted, n, '0'}
