-- Remove up to n items of one job's queue (the caller repeats until none is left, so no step blocks the server).
-- KEYS[1] job's item index, KEYS[2] jobs index, KEYS[3] fence lock hash
-- ARGV[1] n, ARGV[2] key prefix of the job's items, ARGV[3] jobs-index member, ARGV[4] fence token ('0' = none;
-- checked by every chunk)
expect('hash', KEYS[3])
local fenced = fence_check(KEYS[3], ARGV[4])
if fenced then
  return fenced
end
local page = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1)
for _, member in ipairs(page) do
  redis.call('DEL', ARGV[2] .. string.sub(member, 22))
  redis.call('ZREM', KEYS[1], member)
end
local left = redis.call('ZCARD', KEYS[1])
if left == 0 then
  redis.call('ZREM', KEYS[2], ARGV[3])
end
return {'OK', #page, left}
