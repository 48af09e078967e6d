-- LeaseStore.forceRelease: clear the holder and revoke the token (idempotent; a key never granted is left alone), so
-- the broken holder's extend, release and fenced writes fail at once. Returns the row as it was if its lease was live.
-- The key stays in the held-keys index, which lists every key ever granted (lock_grant).
-- KEYS[1] lock hash; ARGV[1] now
local now = now_us(ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'tok', 'rv', 'holder', 'owner', 'acq', 'ttl', 'exp')
if not h[1] then
  return {'NONE'}
end
redis.call('HDEL', KEYS[1], 'holder')
redis.call('HSET', KEYS[1], 'rv', '1')
if h[3] and tonumber(h[7]) > now then
  return {'OK', h}
end
return {'NONE'}
