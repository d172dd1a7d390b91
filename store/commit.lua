-- Commit one conversation transition atomically. KEYS[1..4] share the
-- conversation's hash tag, so this stays within one slot of a cluster.
-- KEYS[1] conversation hash (v = version, s = state JSON)
-- KEYS[2] seen ids (zset)   KEYS[3] outbox shard hash   KEYS[4] outbox shard due zset
-- On a single-node Redis only (ARGV[10] = 1), the keys of the layout
-- before hash tags, moved here on the conversation's first commit since:
-- KEYS[5] conversation   KEYS[6] seen ids   KEYS[7] the message id's own key
-- ARGV: expected version, state JSON, seen TTL (ms), entry id ("" = no entry), entry JSON,
--       now (ms), seen member, most ids kept, conversation TTL (ms), legacy (0/1)
local cur = redis.call('HGET', KEYS[1], 'v')
if ARGV[10] == '1' then
  if not cur then
    if redis.call('EXISTS', KEYS[5]) == 1 then
      redis.call('RENAME', KEYS[5], KEYS[1]) -- keeps its TTL
      cur = redis.call('HGET', KEYS[1], 'v')
    end
    if redis.call('EXISTS', KEYS[6]) == 1 then
      redis.call('ZUNIONSTORE', KEYS[2], 2, KEYS[2], KEYS[6], 'AGGREGATE', 'MAX')
      redis.call('DEL', KEYS[6])
      redis.call('PEXPIRE', KEYS[2], ARGV[3])
    end
  end
  if redis.call('EXISTS', KEYS[7]) == 1 then
    return {'dup'}
  end
end
if redis.call('ZSCORE', KEYS[2], ARGV[7]) then
  return {'dup'}
end
if (cur or '0') ~= ARGV[1] then
  return {'conflict', cur or '0', redis.call('HGET', KEYS[1], 's') or ''}
end
redis.call('HSET', KEYS[1], 'v', tonumber(ARGV[1]) + 1, 's', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[9])
local now = tonumber(ARGV[6])
-- Trimmed only past the bound (rarely): ids older than the seen TTL are
-- dropped then, the set expiring a seen TTL after its last id anyway.
if redis.call('ZADD', KEYS[2], now, ARGV[7]) == 1 and redis.call('ZCARD', KEYS[2]) > tonumber(ARGV[8]) then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - tonumber(ARGV[3])))
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -1 - tonumber(ARGV[8]))
end
redis.call('PEXPIRE', KEYS[2], ARGV[3])
if ARGV[4] ~= '' then
  redis.call('HSET', KEYS[3], ARGV[4], ARGV[5])
  redis.call('ZADD', KEYS[4], ARGV[6], ARGV[4])
end
return {'ok'}
