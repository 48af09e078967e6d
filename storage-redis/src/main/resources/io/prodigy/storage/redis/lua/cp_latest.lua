-- The newest checkpoint of an index (greatest time code, then id), read in one step.
-- KEYS[1] index; ARGV[1] key prefix of the scope's checkpoints (checkpoint key = prefix .. id)
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'REV')
if #top == 0 then
  return {}
end
return redis.call('HMGET', ARGV[1] .. string.sub(top[1], 22), 'body', 'rev')
