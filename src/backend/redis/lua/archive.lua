-- Archives through an ordinal, clamped to the last one; the watermark
-- never moves back. KEYS: events, watermark. ARGV: through.
-- Replies: {'ok', watermark} | {'badwm', raw}
local wm, bad = read_watermark(KEYS[2])
if wm == nil then return {'badwm', bad} end
local last = wm + redis.call('LLEN', KEYS[1])
local target = tonumber(ARGV[1])
if target > last then target = last end
if target <= wm then return {'ok', dec(wm)} end
redis.call('LTRIM', KEYS[1], dec(target - wm), '-1')
redis.call('SET', KEYS[2], dec(target))
return {'ok', dec(target)}
