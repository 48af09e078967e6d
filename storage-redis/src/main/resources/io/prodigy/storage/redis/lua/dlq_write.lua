-- Compare-and-set of one DLQ item, fenced: the caller read the item (dlq_read), applied the shared rules in Java
-- (DlqItem.recording, DlqClaims.release/extend/requireHolder) and writes the result only if the item is still at the
-- version it read, else gets 'RETRY' and starts again. A new item gets its index entry once (later failures do not
-- move it); a deleted item leaves the indexes, and its job leaves the jobs index with its last item.
-- KEYS[1] item hash, KEYS[2] job's item index, KEYS[3] jobs index, KEYS[4] fence lock hash
-- ARGV[1] expected version ('0' = absent), ARGV[2] fence token ('0' = none), ARGV[3] 'put' or 'del',
-- ARGV[4] body, ARGV[5] index member, ARGV[6] jobs-index member, ARGV[7..10] claim token, worker, claimed at,
-- expires at ('' = no claim)
local fenced = dlq_item_guard(ARGV[2])
if fenced then
  return fenced
end
local f = redis.call('HMGET', KEYS[1], 'ver', 'im')
local ver = tonumber(f[1] or '0')
if ver ~= tonumber(ARGV[1]) then
  return {'RETRY', ver}
end
if ARGV[3] == 'del' then
  if f[2] then
    redis.call('DEL', KEYS[1])
    redis.call('ZREM', KEYS[2], f[2])
    if redis.call('ZCARD', KEYS[2]) == 0 then
      redis.call('ZREM', KEYS[3], ARGV[6])
    end
  end
  return {'OK', 0}
end
redis.call('HSET', KEYS[1], 'body', ARGV[4], 'ver', int(ver + 1), 'im', f[2] or ARGV[5])
if ARGV[7] == '' then
  redis.call('HDEL', KEYS[1], 'ct', 'cw', 'cat', 'cexp')
else
  redis.call('HSET', KEYS[1], 'ct', ARGV[7], 'cw', ARGV[8], 'cat', ARGV[9], 'cexp', ARGV[10])
end
redis.call('ZADD', KEYS[2], 'NX', 0, f[2] or ARGV[5])
redis.call('ZADD', KEYS[3], 0, ARGV[6])
return {'OK', ver + 1}
