-- LeaseStore.forceRelease: clear the holder and its mark and revoke the token (idempotent; a key never granted is
-- left alone), so the broken holder's extend, release and fenced writes fail at once. Returns the row as it was if
-- its lease was live. The key stays in the held-keys index, which lists every key ever granted (lock_grant).
-- KEYS[1] lock hash; ARGV[1] now
local now = now_us(ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'tok', 'rv', 'holder', 'owner', 'acq', 'ttl', 'exp', 'v')
if not h[1] then
  return {'NONE'}
end
local holder = lock_holder(KEYS[1], h[3], h[1], h[8])
if h[3] then
  redis.call('HDEL', KEYS[1], 'holder', 'h/' .. h[3] .. '/' .. h[1])
end
redis.call('HSET', KEYS[1], 'rv', '1')
if holder and tonumber(h[7]) > now then
  return {'OK', {h[1], h[2], holder, h[4], h[5], h[6], h[7]}}
end
return {'NONE'}
