-- Commit one conversation transition atomically.
-- KEYS[1] conversation hash (v = version, s = state JSON)
-- KEYS[2] seen ids (zset)           KEYS[3] outbox hash      KEYS[4] outbox due zset
-- KEYS[5] the message id's own key, as older commits wrote it
-- KEYS[6+2i], KEYS[7+2i]            record hash and record index set of record i
-- ARGV: expected version, state JSON, seen TTL (ms), entry id ("" = no replies), entry JSON,
--       now (ms), record count, seen member, most ids kept, conversation TTL (ms),
--       then per record: member, field count, field, value, ...
if redis.call('ZSCORE', KEYS[2], ARGV[8]) or redis.call('EXISTS', KEYS[5]) == 1 then
  return {'dup'}
end
local cur = redis.call('HGET', KEYS[1], 'v')
if (cur or '0') ~= ARGV[1] then
  return {'conflict', cur or '0', redis.call('HGET', KEYS[1], 's') or ''}
end
redis.call('HSET', KEYS[1], 'v', tonumber(ARGV[1]) + 1, 's', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[10])
local now = tonumber(ARGV[6])
redis.call('ZADD', KEYS[2], now, ARGV[8])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - tonumber(ARGV[3])))
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -1 - tonumber(ARGV[9]))
redis.call('PEXPIRE', KEYS[2], ARGV[3])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
  redis.call('ZADD', KEYS[4], ARGV[6], ARGV[4])
end
local a = 11
for i = 0, tonumber(ARGV[7]) - 1 do
  local hash, index = KEYS[6 + 2 * i], KEYS[7 + 2 * i]
  local member, n = ARGV[a], tonumber(ARGV[a + 1])
  a = a + 2
  local fields = {}
  for j = 1, 2 * n do
    fields[j] = ARGV[a + j - 1]
  end
  a = a + 2 * n
  redis.call('HSET', hash, unpack(fields))
  redis.call('SADD', index, member)
end
return {'ok'}
