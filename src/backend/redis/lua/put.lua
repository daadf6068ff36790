-- Writes one checkpoint: sorted-set member and hash field together.
-- KEYS: bystep, byid.
-- ARGV: id, step, envelope, tenant, thread, check_owners ('1'/'0'),
--       mode ('new' | 'replace'), expect_latest ('' = none),
--       parent id ('' = none), parent envelope the caller read.
-- Replies: {'ok'} | {'duplicate'} | {'missing'} | {'stale', latest or ''}
--        | {'foreign', id, tenant, thread} | {'undecodable', id}
--        | {'parent_changed'}
local bystep, byid = KEYS[1], KEYS[2]
local id, step, envelope = ARGV[1], ARGV[2], ARGV[3]
local tenant, thread = ARGV[4], ARGV[5]

if ARGV[6] == '1' then
  local index = 0
  while true do
    local members = redis.call('ZRANGE', bystep, index, index + 127)
    if #members == 0 then break end
    index = index + #members
    local raws = redis.call('HMGET', byid, unpack(members))
    for i, member in ipairs(members) do
      local raw = raws[i]
      if raw then
        local t, th = owner_of(raw)
        if t == nil then return {'undecodable', member} end
        if t ~= tenant or th ~= thread then return {'foreign', member, t, th} end
      end
    end
  end
end

local exists = redis.call('HEXISTS', byid, id) == 1
if ARGV[7] == 'new' then
  if exists or redis.call('ZSCORE', bystep, id) then return {'duplicate'} end
elseif not exists then
  return {'missing'}
end

if ARGV[8] ~= '' then
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
