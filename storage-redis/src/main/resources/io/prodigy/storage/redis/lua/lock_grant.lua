-- LeaseStore.grant: if the key has no live lease, the next token and a fresh lease. The hash is never deleted, so
-- 'tok' is the key's high-water mark; the new token is tok + 1, and at least the server's TIME in microseconds, so
-- tokens keep rising even after a restart without persistence lost the counter (docs/backends/redis.md).
-- KEYS[1] lock hash, KEYS[2] held-locks index
-- ARGV[1] now, ARGV[2] ttl in microseconds, ARGV[3] holder, ARGV[4] owner, ARGV[5] lock key
-- One TIME serves as the clock (server clock) and as the token floor. No type guard on KEYS[1]: HMGET refuses a
-- foreign key with WRONGTYPE before anything is written.
local st = server_now()
local now = tonumber(ARGV[1])
if now < 0 then
  now = st
end
expect('zset', KEYS[2])
local h = redis.call('HMGET', KEYS[1], 'holder', 'exp', 'tok')
if h[1] and tonumber(h[2]) > now then
  return {'HELD'}
end
local tok = math.max(tonumber(h[3] or '0') + 1, st)
local exp = now + tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'holder', ARGV[3], 'owner', ARGV[4], 'acq', int(now), 'ttl', ARGV[2], 'exp', int(exp),
  'tok', int(tok), 'rv', '0')
redis.call('ZADD', KEYS[2], 0, ARGV[5])
return {'OK', redis.call('HMGET', KEYS[1], 'tok', 'rv', 'holder', 'owner', 'acq', 'ttl', 'exp')}
