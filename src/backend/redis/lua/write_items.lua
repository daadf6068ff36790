-- Writes store items unless their key holds a value already (any value
-- is kept unless the replace flag is set). KEYS: the item keys. ARGV:
-- replace flag, then per key its value and its expiry as Unix
-- milliseconds ('' for none).
-- Replies: {'ok', existing value or '', its PTTL, ...} per key, as before
-- the write.
local replace = ARGV[1] == '1'
local out = {'ok'}
for i, key in ipairs(KEYS) do
  local existing = redis.call('GET', key)
  local pttl = redis.call('PTTL', key)
  if existing then
    out[#out + 1] = existing; out[#out + 1] = pttl
  else
    out[#out + 1] = ''; out[#out + 1] = -2
  end
  if replace or not existing then
    local value, at = ARGV[2 * i], ARGV[2 * i + 1]
    if at == '' then
      redis.call('SET', key, value)
    else
      redis.call('SET', key, value, 'PXAT', at)
    end
  end
end
return out
