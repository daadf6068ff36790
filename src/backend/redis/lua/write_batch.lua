-- Writes a batch of one thread's records, each sorted-set member and hash
-- field together, atomically: either the whole batch is checked and
-- written, or nothing is (keys holding another pair's records).
-- KEYS: bystep, byid.
-- ARGV: mode ('replace' | 'new'), check_owners ('1'/'0'), tenant, thread,
--       then per record: id, step, envelope.
-- Replies: {'ok', outcome, stored, ...} per record, outcome 'w' (written)
--          or 'e' (the id was taken: not written; stored = its envelope,
--          '' when only the sorted set lists it)
--        | {'foreign', id, tenant, thread} | {'undecodable', id}
local bystep, byid = KEYS[1], KEYS[2]
local replace = ARGV[1] == 'replace'
local tenant, thread = ARGV[3], ARGV[4]

if ARGV[2] == '1' then
  local refusal = foreign_record(bystep, byid, tenant, thread)
  if refusal then return refusal end
end

local out = {'ok'}
for i = 5, #ARGV, 3 do
  local id, step, envelope = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local stored = not replace and redis.call('HGET', byid, id)
  if not replace and (stored or redis.call('ZSCORE', bystep, id)) then
    out[#out + 1] = 'e'
    out[#out + 1] = stored or ''
  else
    redis.call('ZADD', bystep, step, id)
    redis.call('HSET', byid, id, envelope)
    out[#out + 1] = 'w'
    out[#out + 1] = ''
  end
end
return out
