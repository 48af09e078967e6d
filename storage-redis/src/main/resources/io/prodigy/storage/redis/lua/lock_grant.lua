-- LeaseStore.grant: if the key has no live lease, the next token and a fresh lease. The hash is never deleted, so
-- 'tok' is the key's high-water mark; the new token is tok + 1, and at least the server's TIME in microseconds, so
-- tokens keep rising even after a restart without persistence lost the counter (docs/redis.md).
-- KEYS[1] lock hash, KEYS[2] held-locks index
-- ARGV[1] now, ARGV[2] ttl in microseconds, ARGV[3] holder, ARGV[4] owner, ARGV[5] lock key
-- Returns {'OK', token, now}: the caller knows every other field of the row it asked for, so nothing is read back.
-- The hot path of every lock user, so it does only what the rule needs: one TIME (the clock and the token floor),
-- one HMGET, one ZADD, one HSET. No type guards: HMGET refuses a foreign KEYS[1] and ZADD a foreign KEYS[2] with
-- WRONGTYPE, both before the only other write.
local st = server_now()
local now = tonumber(ARGV[1])
if now < 0 then
  now = st
end
local h = redis.call('HMGET', KEYS[1], 'holder', 'exp', 'tok')
if h[1] and tonumber(h[2]) > now then
  return {'HELD'}
end
local tok = int(math.max(tonumber(h[3] or '0') + 1, st))
local acq = int(now)
redis.call('ZADD', KEYS[2], 0, ARGV[5])
redis.call('HSET', KEYS[1], 'holder', ARGV[3], 'owner', ARGV[4], 'acq', acq, 'ttl', ARGV[2],
  'exp', int(now + tonumber(ARGV[2])), 'tok', tok, 'rv', '0')
return {'OK', tok, acq}
