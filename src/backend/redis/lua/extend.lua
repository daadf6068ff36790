-- Pushes a lock's expiry if the token still holds it.
-- KEYS: lock. ARGV: token, ttl in ms. Reply: 1 extended, 0 not ours.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
