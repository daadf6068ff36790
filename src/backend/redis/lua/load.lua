-- Unarchived events after an ordinal. KEYS: events, watermark.
-- ARGV: after, limit (-1 = all).
-- Replies: {'ok', watermark, events...}
--        | {'badwm', raw}
local wm, bad = read_watermark(KEYS[2])
if wm == nil then return {'badwm', bad} end
local after = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local len = redis.call('LLEN', KEYS[1])
local start = 0
if after > wm then start = after - wm end
local out = {'ok', dec(wm)}
if start >= len or limit == 0 then return out end
local stop = len - 1
if limit > 0 and start + limit - 1 < stop then stop = start + limit - 1 end
local items = redis.call('LRANGE', KEYS[1], dec(start), dec(stop))
for _, item in ipairs(items) do out[#out + 1] = item end
return out
