-- The first n executions of a workflow, oldest first (n = 0: all), read in one step.
-- KEYS[1] executions hash, KEYS[2] executions index; ARGV[1] n
local members = redis.call('ZRANGE', KEYS[2], 0, tonumber(ARGV[1]) - 1)
local out = {}
for i, m in ipairs(members) do
  out[i] = redis.call('HGET', KEYS[1], string.sub(m, 22))
end
return out
