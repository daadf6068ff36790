-- Moves a batch staged under keys of its own into a thread's keys, when
-- the thread has no checkpoints yet; otherwise drops the staged keys.
-- Runs inside the MULTI that staged them, so no other client ever sees
-- the staged keys, and the thread's keys appear whole or not at all.
-- KEYS: staged byid, staged bystep, byid, bystep.
-- Replies: {'claimed'} | {'taken'} (the thread has checkpoints: nothing
--          was written, the batch goes through write_batch.lua instead).
local staged_byid, staged_bystep, byid, bystep = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
if redis.call('EXISTS', byid, bystep) ~= 0 then
  redis.call('DEL', staged_byid, staged_bystep)
  return {'taken'}
end
redis.call('RENAME', staged_byid, byid)
redis.call('PERSIST', byid)
redis.call('RENAME', staged_bystep, bystep)
redis.call('PERSIST', bystep)
return {'claimed'}
