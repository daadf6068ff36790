-- Unarchived events after an ordinal. KEYS: events, watermark.
-- ARGV: after, limit (-1 = all).
-- Replies: {'ok', watermark, {events...}}: the events are LRANGE's own
-- reply, passed back whole (no per-event Lua work)
--        | {'badwm', raw}
local wm, bad = read_watermark(KEYS[2])
if wm == nil then return {'badwm', bad} end
local after = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local len = redis.call('LLEN', KEYS[1])
local start = 0
if after > wm then start = after - wm end
if start >= len or limit == 0 then return {'ok', dec(wm), {}} end
local stop = len - 1
if limit > 0 and start + limit - 1 < stop then stop = start + limit - 1 end
return {'ok', dec(wm), redis.call('LRANGE', KEYS[1], dec(start), dec(stop))}
