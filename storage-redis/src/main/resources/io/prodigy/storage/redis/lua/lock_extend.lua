-- Extend a live lease: holder and token must match and the lease must not have lapsed; the token is unchanged.
-- KEYS[1] lock hash; ARGV[1] now, ARGV[2] holder, ARGV[3] token, ARGV[4] ttl in microseconds
local now = now_us(ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'holder', 'exp', 'tok', 'acq')
if not h[1] then
  return {'FREE', h[3] or '0'}
end
if h[1] ~= ARGV[2] or h[3] ~= ARGV[3] then
  return {'OTHER', h[3]}
end
if tonumber(h[2]) <= now then
  return {'EXPIRED', h[2], int(now)}
end
local exp = now + tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'ttl', ARGV[4], 'exp', int(exp))
return {'OK', h[4], int(exp)}
