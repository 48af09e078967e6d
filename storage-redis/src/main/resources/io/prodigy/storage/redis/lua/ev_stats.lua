-- A job's figures and the sequence of its newest event, read in one step.
-- KEYS[1] stream, KEYS[2] job meta hash
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local top = '0'
if #last > 0 then
  top = string.sub(last[1][1], 1, string.find(last[1][1], '-', 1, true) - 1)
end
return {top, redis.call('HGETALL', KEYS[2])}
