-- Reads a thread's envelopes in order until `limit` of them belong to the
-- asked (tenant, thread): one round trip whatever the limit.
-- KEYS: bystep, byid.
-- ARGV: direction ('desc' newest first | 'asc'), limit (-1 = all),
--       check_owners ('1'/'0'), tenant, thread,
--       before id ('' = none; desc only),
--       after step and after id ('' = none; asc only).
-- Replies: {'ok', id, envelope, id, envelope, ...} | {'notfound'}
--        | {'dangling', id}
local bystep, byid = KEYS[1], KEYS[2]
local desc = ARGV[1] == 'desc'
local limit = tonumber(ARGV[2])
local check = ARGV[3] == '1'

local function owned(raw)
  if not check then return true end
  local t, th = owner_of(raw)
  -- an undecodable envelope goes back to the caller, who reports it
  if t == nil then return true end
  return t == ARGV[4] and th == ARGV[5]
end

local index = 0
local skip_step, skip_id = nil, nil
if desc then
  if ARGV[6] ~= '' then
    local rank = redis.call('ZREVRANK', bystep, ARGV[6])
    if not rank then return {'notfound'} end
    local raw = redis.call('HGET', byid, ARGV[6])
    if raw and not owned(raw) then return {'notfound'} end
    index = rank + 1
  end
elseif ARGV[7] ~= '' then
  index = redis.call('ZCOUNT', bystep, '-inf', '(' .. ARGV[7])
  skip_step, skip_id = tonumber(ARGV[7]), ARGV[8]
end

local out = {'ok'}
local found = 0
while limit < 0 or found < limit do
  local want = 128
  if limit >= 0 and limit - found < want then want = limit - found end
  local range
  if desc then
    range = redis.call('ZREVRANGE', bystep, index, index + want - 1, 'WITHSCORES')
  else
    range = redis.call('ZRANGE', bystep, index, index + want - 1, 'WITHSCORES')
  end
  if #range == 0 then break end
  index = index + #range / 2
  local members = {}
  for i = 1, #range, 2 do members[#members + 1] = range[i] end
  local raws = redis.call('HMGET', byid, unpack(members))
  for i, member in ipairs(members) do
    local skip = skip_step ~= nil and tonumber(range[2 * i]) == skip_step
      and bytes_le(member, skip_id)
    if not skip then
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
end
return out
