-- Appends events atomically. KEYS: events, watermark. ARGV: the events.
-- Replies: {'ok', last ordinal} | {'badwm', raw}
local wm, bad = read_watermark(KEYS[2])
if wm == nil then return {'badwm', bad} end
-- RPUSH replies the list's length; an empty batch reads it.
local len = #ARGV == 0 and redis.call('LLEN', KEYS[1]) or 0
local i = 1
while i <= #ARGV do
  local j = math.min(i + 999, #ARGV)
  len = redis.call('RPUSH', KEYS[1], unpack(ARGV, i, j))
  i = j + 1
end
return {'ok', dec(wm + len)}
