-- Shared helpers. A script gets those it calls (directly or through another
-- helper) prepended: one paragraph per helper, no blank line inside, each
-- calling only helpers above it (scripts.rs, `helpers_called_by`).

-- The (tenant, thread) an envelope's body names; nil when undecodable.
local function owner_of(raw)
  local ok, doc = pcall(cjson.decode, raw)
  if not ok or type(doc) ~= 'table' then return nil end
  local body = doc['body']
  if type(body) ~= 'table' then return nil end
  local tenant, thread = body['tenant_id'], body['thread_id']
  if type(tenant) ~= 'string' or type(thread) ~= 'string' then return nil end
  return tenant, thread
end

-- The refusal to write (tenant, thread) into keys that hold a record of
-- another pair, {'foreign', id, tenant, thread}, or whose owner cannot be
-- read, {'undecodable', id}; nil when every record there is the pair's.
local function foreign_record(bystep, byid, tenant, thread)
  local index = 0
  while true do
    local members = redis.call('ZRANGE', bystep, index, index + 127)
    if #members == 0 then return nil end
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

-- Byte-wise a <= b (Lua's own comparison follows the server's locale).
local function bytes_le(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a <= #b
end

-- An integer as decimal text (tostring switches to exponents).
local function dec(n)
  return string.format('%.0f', n)
end

-- The archive watermark at key (absent = 0); nil plus the raw text when
-- it is not a decimal integer of at most 15 digits (Lua numbers are
-- doubles: anything longer could lose precision, and ordinals with it).
local function read_watermark(key)
  local raw = redis.call('GET', key)
  if not raw then return 0 end
  if not string.match(raw, '^%d+$') or #raw > 15 then return nil, raw end
  return tonumber(raw)
end
