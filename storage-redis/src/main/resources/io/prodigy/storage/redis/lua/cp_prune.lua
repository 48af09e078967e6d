-- Delete all but the newest n checkpoints of a scope, with their index entries.
-- KEYS[1] the scope's index, KEYS[2] fence lock hash
-- ARGV[1] n, ARGV[2] key prefix of the scope's checkpoints, ARGV[3] fence token ('0' = none)
expect('hash', KEYS[2])
local fenced = fence_check(KEYS[2], ARGV[3])
if fenced then
  return fenced
end
local total = redis.call('ZCARD', KEYS[1])
local doomed = total - tonumber(ARGV[1])
if doomed <= 0 then
  return {'OK', 0}
end
local members = redis.call('ZRANGE', KEYS[1], 0, doomed - 1)
for _, m in ipairs(members) do
  local key = ARGV[2] .. string.sub(m, 22)
  index_remove(redis.call('HGET', key, 'ix'))
  redis.call('DEL', key)
end
return {'OK', #members}
