-- Release a lease: only its holder, live or lapsed without a takeover (then quietly). The token stays.
-- KEYS[1] lock hash, KEYS[2] held-locks index; ARGV[1] holder, ARGV[2] token, ARGV[3] lock key
local h = redis.call('HMGET', KEYS[1], 'holder', 'tok')
if not h[1] then
  return {'FREE', h[2] or '0'}
end
if h[1] ~= ARGV[1] or h[2] ~= ARGV[2] then
  return {'OTHER', h[2]}
end
redis.call('HDEL', KEYS[1], 'holder', 'owner', 'acq', 'ttl', 'exp')
redis.call('ZREM', KEYS[2], ARGV[3])
return {'OK'}
