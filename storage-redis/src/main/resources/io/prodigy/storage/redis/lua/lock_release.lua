-- LeaseStore.release: only the recorded holder with its token (live, or lapsed while nobody took the key over). The
-- holder is cleared; the token, the last grant's times and the revoked flag stay (the token fences until the next
-- grant), and so does the key's entry in the held-keys index (it lists every key ever granted).
-- KEYS[1] lock hash; ARGV[1] holder, ARGV[2] token. Returns 1 if released, else 0 (nothing changed).
-- A hot path: no prelude, no type guard (HMGET refuses a foreign KEYS[1] before the only write).
local h = redis.call('HMGET', KEYS[1], 'holder', 'tok')
if h[1] ~= ARGV[1] or h[2] ~= ARGV[2] then
  return 0
end
redis.call('HDEL', KEYS[1], 'holder')
return 1
