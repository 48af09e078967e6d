-- Break whatever lease holds the key and raise its token, so the broken holder's fenced writes fail at once.
-- KEYS[1] lock hash, KEYS[2] held-locks index; ARGV[1] now, ARGV[2] lock key
local now = now_us(ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'holder', 'owner', 'acq', 'ttl', 'exp', 'tok')
if not h[1] then
  return {'NONE'}
end
redis.call('HDEL', KEYS[1], 'holder', 'owner', 'acq', 'ttl', 'exp')
redis.call('HSET', KEYS[1], 'tok', int(tonumber(h[6]) + 1))
redis.call('ZREM', KEYS[2], ARGV[2])
if tonumber(h[5]) <= now then
  return {'NONE'}
end
return {'OK', h[1], h[2], h[3], h[4], h[5], h[6]}
