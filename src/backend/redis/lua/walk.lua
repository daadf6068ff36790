-- Reads a thread's envelopes newest first until `limit` of them belong to
-- the asked (tenant, thread): one round trip whatever the limit.
-- KEYS: bystep, byid.
-- ARGV: limit (-1 = all), check_owners ('1'/'0'), tenant, thread,
--       before id ('' = none).
-- Replies: {'ok', id, envelope, id, envelope, ...} | {'notfound'}
--        | {'dangling', id}
local bystep, byid = KEYS[1], KEYS[2]
local limit = tonumber(ARGV[1])
local check = ARGV[2] == '1'

local function owned(raw)
  if not check then return true end
  local t, th = owner_of(raw)
  -- an undecodable envelope goes back to the caller, who reports it
  if t == nil then return true end
  return t == ARGV[3] and th == ARGV[4]
end

local index = 0
if ARGV[5] ~= '' then
  local rank = redis.call('ZREVRANK', bystep, ARGV[5])
  if not rank then return {'notfound'} end
  local raw = redis.call('HGET', byid, ARGV[5])
  if raw and not owned(raw) then return {'notfound'} end
  index = rank + 1
end

local out = {'ok'}
local found = 0
while limit < 0 or found < limit do
  local want = 128
  if limit >= 0 and limit - found < want then want = limit - found end
  local range = redis.call('ZREVRANGE', bystep, index, index + want - 1)
  if #range == 0 then break end
  index = index + #range
  local raws = redis.call('HMGET', byid, unpack(range))
  for i, member in ipairs(range) do
    local raw = raws[i]
    if not raw then return {'dangling', member} end
    if owned(raw) then
      out[#out + 1] = member
      out[#out + 1] = raw
      found = found + 1
      if limit >= 0 and found >= limit then break end
    end
  end
end
return out
