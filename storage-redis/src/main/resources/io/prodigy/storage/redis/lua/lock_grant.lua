-- Grant a lease if the key is free or its lease has lapsed. The token is one above the key's highest token, and at
-- least the server's time in microseconds: the lock hash is never deleted, so its 'tok' field is a counter that never
-- expires, and the floor keeps tokens rising even if a restart without persistence lost that counter.
-- KEYS[1] lock hash, KEYS[2] held-locks index
-- ARGV[1] now, ARGV[2] ttl in microseconds, ARGV[3] holder, ARGV[4] owner, ARGV[5] lock key
local now = now_us(ARGV[1])
expect('hash', KEYS[1])
expect('zset', KEYS[2])
local h = redis.call('HMGET', KEYS[1], 'holder', 'exp', 'tok', 'owner', 'acq', 'ttl')
if h[1] and tonumber(h[2]) > now then
  return {'HELD', h[1], h[4], h[5], h[6], h[2], h[3]}
end
local tok = math.max(tonumber(h[3] or '0') + 1, server_now())
local exp = now + tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'holder', ARGV[3], 'owner', ARGV[4], 'acq', int(now), 'ttl', ARGV[2], 'exp', int(exp),
  'tok', int(tok))
redis.call('ZADD', KEYS[2], 0, ARGV[5])
return {'OK', int(tok), int(now), int(exp)}
