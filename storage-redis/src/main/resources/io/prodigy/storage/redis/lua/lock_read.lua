-- The rows of some keys as stored, and the store's time, in one step; 'holder' only while its grant is unreleased.
-- KEYS[1..] lock hashes; ARGV[1] now
local out = {int(now_us(ARGV[1]))}
for i = 1, #KEYS do
  local h = redis.call('HMGET', KEYS[i], 'tok', 'rv', 'holder', 'owner', 'acq', 'ttl', 'exp', 'v')
  out[#out + 1] = {h[1], h[2], lock_holder(KEYS[i], h[3], h[1], h[8]), h[4], h[5], h[6], h[7]}
end
return out
