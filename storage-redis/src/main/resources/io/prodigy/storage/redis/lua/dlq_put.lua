-- Store a DLQ item's new body if its version is still the one the caller read (compare-and-set; the caller
-- computed the body with the shared record rules and retries on 'RETRY'). Creates the item's index entry once:
-- later failures do not move it. The claim fields are left as they are (and returned).
-- KEYS[1] item hash, KEYS[2] job's item index, KEYS[3] jobs index
-- ARGV[1] expected version ('0' = absent), ARGV[2] body, ARGV[3] index member, ARGV[4] jobs-index member
expect('hash', KEYS[1])
expect('zset', KEYS[2], KEYS[3])
local ver = tonumber(redis.call('HGET', KEYS[1], 'ver') or '0')
if ver ~= tonumber(ARGV[1]) then
  return {'RETRY', ver}
end
redis.call('HSET', KEYS[1], 'body', ARGV[2], 'ver', int(ver + 1), 'im', ARGV[3])
redis.call('ZADD', KEYS[2], 'NX', 0, ARGV[3])
redis.call('ZADD', KEYS[3], 0, ARGV[4])
local c = redis.call('HMGET', KEYS[1], 'ct', 'cw', 'cat', 'cexp')
return {'OK', ver + 1, c[1], c[2], c[3], c[4]}
