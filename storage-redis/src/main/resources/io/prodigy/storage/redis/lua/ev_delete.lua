-- Delete a job's whole log.
-- KEYS[1] stream, KEYS[2] job meta hash, KEYS[3] event-id hash, KEYS[4] jobs index
-- ARGV[1] jobs-index member
local n = redis.call('XLEN', KEYS[1])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
redis.call('ZREM', KEYS[4], ARGV[1])
return n
