-- The rows of some keys as stored, and the store's time, in one step.
-- KEYS[1..] lock hashes; ARGV[1] now
local out = {int(now_us(ARGV[1]))}
for i = 1, #KEYS do
  out[#out + 1] = redis.call('HMGET', KEYS[i], 'tok', 'rv', 'holder', 'owner', 'acq', 'ttl', 'exp')
end
return out
