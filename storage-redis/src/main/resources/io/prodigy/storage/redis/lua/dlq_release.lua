-- Give a claimed item back: only the live claim's token may; with a new body (a failure recorded by the caller with
-- the shared record rules) only if the item is still at the version the caller read.
-- KEYS[1] item hash
-- ARGV[1] now, ARGV[2] claim token, ARGV[3] new body ('' = keep), ARGV[4] expected version
local now = now_us(ARGV[1])
local f = redis.call('HMGET', KEYS[1], 'body', 'ver', 'ct', 'cw', 'cexp')
if not f[1] then
  return {'NOTFOUND'}
end
if not f[3] then
  return {'UNCLAIMED'}
end
if f[3] ~= ARGV[2] then
  return {'OTHER', f[4], f[5]}
end
if tonumber(f[5]) <= now then
  return {'EXPIRED', f[5], int(now)}
end
local body = f[1]
local ver = tonumber(f[2])
if ARGV[3] ~= '' then
  if ver ~= tonumber(ARGV[4]) then
    return {'RETRY', ver}
  end
  body = ARGV[3]
  ver = ver + 1
  redis.call('HSET', KEYS[1], 'body', body, 'ver', int(ver))
end
redis.call('HDEL', KEYS[1], 'ct', 'cw', 'cat', 'cexp')
return {'OK', body, ver}
