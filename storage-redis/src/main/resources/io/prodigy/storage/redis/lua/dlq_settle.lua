-- The one-step end of a claim: release without an error (the claim cleared, the body unchanged) or removal of one DLQ
-- item, fenced, compared on the claim token instead of the version. The shared rule stays in Java
-- (DlqClaims.release/requireHolder): it judges the item as it was, which this script returns whatever happened, so a
-- refusal gets the rule's own error and a success the rule's own result; the script only makes "the item still has
-- this claim token" and the change one atomic step (a compare-and-set whose compare is the token). A release with an
-- error changes the body, so it still reads and writes on the version (dlq_read, dlq_write).
-- KEYS[1] item hash, KEYS[2] job's item index, KEYS[3] jobs index, KEYS[4] fence lock hash
-- ARGV[1] 'unclaim' or 'del', ARGV[2] expected claim token ('' = any; only with 'del'), ARGV[3] fence token ('0' =
-- none), ARGV[4] jobs-index member, ARGV[5] now
-- Returns {'OK', now, item} after the change, {'HOLDER', now, item} with nothing changed, or {'ABSENT'}; item is
-- {body, ver, ct, cw, cat, cexp} as it was before.
-- Type guards only where a write would come before Redis refuses a foreign key by itself: HMGET refuses a foreign
-- KEYS[1] and KEYS[4] (fence_check) before anything is written; a removal writes the indexes after the item.
local fenced = fence_check(KEYS[4], ARGV[3])
if fenced then
  return fenced
end
local f = redis.call('HMGET', KEYS[1], 'body', 'ver', 'ct', 'cw', 'cat', 'cexp', 'im')
if not f[1] then
  return {'ABSENT'}
end
local im = f[7]
f[7] = nil
local now = int(now_us(ARGV[5]))
if ARGV[2] ~= '' and f[3] ~= ARGV[2] then
  return {'HOLDER', now, f}
end
if ARGV[1] == 'del' then
  expect('zset', KEYS[2], KEYS[3])
  redis.call('DEL', KEYS[1])
  redis.call('ZREM', KEYS[2], im)
  if redis.call('ZCARD', KEYS[2]) == 0 then
    redis.call('ZREM', KEYS[3], ARGV[4])
  end
else
  redis.call('HDEL', KEYS[1], 'ct', 'cw', 'cat', 'cexp')
  redis.call('HSET', KEYS[1], 'ver', int(tonumber(f[2]) + 1))
end
return {'OK', now, f}
