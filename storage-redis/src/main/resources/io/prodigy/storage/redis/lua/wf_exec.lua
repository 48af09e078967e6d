-- Record (or replace) one execution of a stored workflow.
-- KEYS[1] workflow hash, KEYS[2] executions hash, KEYS[3] executions index, KEYS[4] fence lock hash
-- ARGV[1] execution id, ARGV[2] start time code, ARGV[3] execution JSON, ARGV[4] fence token ('0' = none)
expect('hash', KEYS[1], KEYS[2], KEYS[4])
expect('zset', KEYS[3])
local fenced = fence_check(KEYS[4], ARGV[4])
if fenced then
  return fenced
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NOTFOUND'}
end
local old = redis.call('HGET', KEYS[2], ARGV[1])
if old then
  redis.call('ZREM', KEYS[3], string.sub(old, 1, 21) .. ARGV[1])
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2] .. ARGV[3])
redis.call('ZADD', KEYS[3], 0, ARGV[2] .. ARGV[1])
return {'OK'}
