-- Delete all but the newest n checkpoints of a scope, with their index entries.
-- KEYS[1] the scope's index; ARGV[1] n, ARGV[2] key prefix of the scope's checkpoints
local total = redis.call('ZCARD', KEYS[1])
local doomed = total - tonumber(ARGV[1])
if doomed <= 0 then
  return 0
end
local members = redis.call('ZRANGE', KEYS[1], 0, doomed - 1)
for _, m in ipairs(members) do
  local key = ARGV[2] .. string.sub(m, 22)
  index_remove(redis.call('HGET', key, 'ix'))
  redis.call('DEL', key)
end
return #members
