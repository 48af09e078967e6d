-- Set a session's state whatever its revision: bump the revision, stamp, move it between state indexes.
-- KEYS[1] session hash, KEYS[2] fence lock hash
-- ARGV[1] now, ARGV[2] fence token, ARGV[3] new state, ARGV[4] key prefix of the state indexes,
-- ARGV[5] the new state's index key
local now = now_us(ARGV[1])
expect('hash', KEYS[1], KEYS[2])
local fenced = fence_check(KEYS[2], ARGV[2])
if fenced then
  return fenced
end
local old = redis.call('HMGET', KEYS[1], 'rev', 'ix', 'body')
if not old[1] then
  return {'NOTFOUND'}
end
local p = parse_netstrings(old[2])
local rebuilt = {}
local prefix = ARGV[4]
for i = 1, #p, 2 do
  local key = p[i]
  local member = p[i + 1]
  if string.sub(key, 1, #prefix) == prefix then
    redis.call('ZREM', key, member)
    key = ARGV[5]
    redis.call('ZADD', key, 0, member)
  end
  rebuilt[#rebuilt + 1] = int(#key) .. ':' .. key .. int(#member) .. ':' .. member
end
local rev = tonumber(old[1]) + 1
redis.call('HSET', KEYS[1], 'st', ARGV[3], 'rev', int(rev), 'upd', int(now), 'ix', table.concat(rebuilt))
return {'OK', rev, now, old[3]}
