-- Reads up to `limit` of a thread's records in ascending (step, id) order
-- after a position, each with its envelope or a sign that it has none, so
-- the caller can report bad records one by one: one round trip.
-- KEYS: bystep, byid.
-- ARGV: limit, check_owners ('1'/'0'), tenant, thread,
--       after step and after id ('' = from the start).
-- Replies: {'ok', id, step, has_envelope ('1'/'0'), envelope or '', ...}
--          where the last entry ends the page only if fewer than `limit`
--          members remained.
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
local skip_step, skip_id = nil, nil
if ARGV[5] ~= '' then
  index = redis.call('ZCOUNT', bystep, '-inf', '(' .. ARGV[5])
  skip_step, skip_id = tonumber(ARGV[5]), ARGV[6]
end

local out = {'ok'}
local found = 0
while found < limit do
  local want = math.min(128, limit - found)
  local range = redis.call('ZRANGE', bystep, index, index + want - 1, 'WITHSCORES')
  if #range == 0 then break end
  index = index + #range / 2
  local members = {}
  for i = 1, #range, 2 do members[#members + 1] = range[i] end
  local raws = redis.call('HMGET', byid, unpack(members))
  for i, member in ipairs(members) do
    local score = range[2 * i]
    local skip = skip_step ~= nil and tonumber(score) == skip_step and bytes_le(member, skip_id)
    if not skip then
      local raw = raws[i]
      if not raw then
        out[#out + 1] = member
        out[#out + 1] = score
        out[#out + 1] = '0'
        out[#out + 1] = ''
        found = found + 1
      elseif owned(raw) then
        out[#out + 1] = member
        out[#out + 1] = score
        out[#out + 1] = '1'
        out[#out + 1] = raw
        found = found + 1
      end
      if found >= limit then break end
    end
  end
end
return out
