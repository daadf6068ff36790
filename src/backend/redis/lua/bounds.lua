-- Watermark and last ordinal. KEYS: events, watermark.
-- Replies: {'ok', watermark, last} | {'badwm', raw}
local wm, bad = read_watermark(KEYS[2])
if wm == nil then return {'badwm', bad} end
return {'ok', dec(wm), dec(wm + redis.call('LLEN', KEYS[1]))}
