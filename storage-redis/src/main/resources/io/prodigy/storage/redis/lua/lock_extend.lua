-- LeaseStore.extend: only the live, unrevoked, unreleased lease of this holder and token; the token is unchanged.
-- KEYS[1] lock hash; ARGV[1] now, ARGV[2] holder, ARGV[3] token, ARGV[4] ttl in microseconds
-- Returns {'OK', now}: the rest of the row is the caller's lease.
local now = now_us(ARGV[1])
local h = redis.call('HMGET', KEYS[1], 'holder', 'exp', 'tok', 'rv', 'v')
if not h[1] or h[1] ~= ARGV[2] or h[3] ~= ARGV[3] or h[4] == '1' or tonumber(h[2]) <= now
    or not lock_holder(KEYS[1], h[1], h[3], h[5]) then
  return {'NO'}
end
redis.call('HSET', KEYS[1], 'ttl', ARGV[4], 'exp', int(now + tonumber(ARGV[4])))
return {'OK', int(now)}
