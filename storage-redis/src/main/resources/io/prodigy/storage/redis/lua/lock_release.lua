-- LeaseStore.release: only the recorded holder with its token (live, or lapsed while nobody took the key over). The
-- holder is cleared; the token, the last grant's times and the revoked flag stay (the token fences until the next
-- grant).
-- KEYS[1] lock hash, KEYS[2] held-locks index; ARGV[1] holder, ARGV[2] token, ARGV[3] lock key
-- No type guards: HMGET refuses a foreign KEYS[1], ZREM a foreign KEYS[2], both before the only other write.
local h = redis.call('HMGET', KEYS[1], 'holder', 'tok')
if h[1] ~= ARGV[1] or h[2] ~= ARGV[2] then
  return {'NO'}
end
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('HDEL', KEYS[1], 'holder')
return {'OK'}
