-- LeaseStore.forceRelease: clear the holder and revoke the token (idempotent; a key never granted is left alone), so
-- the broken holder's extend, release and fenced writes fail at once. Returns the row as it was if its lease was live.
-- KEYS[1] lock hash, KEYS[2] held-locks index; ARGV[1] now, ARGV[2] lock key
local now = now_us(ARGV[1])
expect('zset', KEYS[2])
local h = redis.call('HMGET', KEYS[1], 'tok', 'rv', 'holder', 'owner', 'acq', 'ttl', 'exp')
if not h[1] then
  return {'NONE'}
end
redis.call('HDEL', KEYS[1], 'holder')
redis.call('HSET', KEYS[1], 'rv', '1')
redis.call('ZREM', KEYS[2], ARGV[2])
if h[3] and tonumber(h[7]) > now then
  return {'OK', h}
end
return {'NONE'}
