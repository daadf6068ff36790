-- Writes events at their own ordinals and the source's archive watermark
-- (the plan of `EventWritePlan`, applied atomically). KEYS: events,
-- watermark. ARGV: replace flag, source watermark, first ordinal, events.
-- Replies: {'ok', landing, existing, ...} with landing a(rchived),
-- e(xisting, with the event there before), p (appended) or g(ap)
-- | {'badwm', raw}
local wm, bad = read_watermark(KEYS[2])
if wm == nil then return {'badwm', bad} end
local start_wm = wm
local len = redis.call('LLEN', KEYS[1])
local last = wm + len
local replace = ARGV[1] == '1'
local source_wm = tonumber(ARGV[2])
local first = tonumber(ARGV[3])
local out = {'ok'}
local pending = {}
for i = 4, #ARGV do
  local o = first + (i - 4)
  if o <= wm then
    out[#out + 1] = 'a'; out[#out + 1] = ''
  elseif o <= last then
    local index = o - wm - 1
    out[#out + 1] = 'e'; out[#out + 1] = redis.call('LINDEX', KEYS[1], index) or ''
    if replace then redis.call('LSET', KEYS[1], index, ARGV[i]) end
  elseif o == last + 1 or last == wm then
    if o ~= last + 1 then wm = o - 1 end
    pending[#pending + 1] = ARGV[i]
    last = o
    out[#out + 1] = 'p'; out[#out + 1] = ''
  else
    out[#out + 1] = 'g'; out[#out + 1] = ''
  end
end
local i = 1
while i <= #pending do
  local j = math.min(i + 999, #pending)
  redis.call('RPUSH', KEYS[1], unpack(pending, i, j))
  i = j + 1
end
if source_wm > wm then
  local drop = math.min(source_wm - wm, last - wm)
  if drop > 0 then redis.call('LTRIM', KEYS[1], drop, -1) end
  wm = source_wm
end
if wm ~= start_wm then redis.call('SET', KEYS[2], dec(wm)) end
return out
