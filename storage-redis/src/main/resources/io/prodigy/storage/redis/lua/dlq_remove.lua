-- Remove an item: with a token only under that live claim; without one (operator use) regardless of claims.
-- KEYS[1] item hash, KEYS[2] job's item index, KEYS[3] jobs index
-- ARGV[1] now, ARGV[2] claim token ('' = none), ARGV[3] jobs-index member
local f = redis.call('HMGET', KEYS[1], 'im', 'ct', 'cw', 'cexp')
if not f[1] then
  return {'OK', 0}
end
if ARGV[2] ~= '' then
  if not f[2] then
    return {'UNCLAIMED'}
  end
  if f[2] ~= ARGV[2] then
    return {'OTHER', f[3], f[4]}
  end
  local now = now_us(ARGV[1])
  if tonumber(f[4]) <= now then
    return {'EXPIRED', f[4], int(now)}
  end
end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], f[1])
if redis.call('ZCARD', KEYS[2]) == 0 then
  redis.call('ZREM', KEYS[3], ARGV[3])
end
return {'OK', 1}
