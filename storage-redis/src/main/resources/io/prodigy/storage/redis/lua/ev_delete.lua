-- Delete a job's whole log, fenced; the high-water mark stays (a job's sequences are never reused).
-- KEYS[1] stream, KEYS[2] job meta hash, KEYS[3] event-id hash, KEYS[4] jobs index, KEYS[5] fence lock hash
-- ARGV[1] jobs-index member, ARGV[2] fence token ('0' = none)
expect('hash', KEYS[5])
local fenced = fence_check(KEYS[5], ARGV[2])
if fenced then
  return fenced
end
local n = redis.call('XLEN', KEYS[1])
local hw = redis.call('HGET', KEYS[2], 'hw')
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
if hw then
  redis.call('HSET', KEYS[2], 'hw', hw)
end
redis.call('ZREM', KEYS[4], ARGV[1])
return {'OK', n}
