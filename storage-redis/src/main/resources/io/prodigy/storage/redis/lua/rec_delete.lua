-- Delete a record, fenced, with its index entries and the keys that belong to it.
-- KEYS[1] record hash, KEYS[2] fence lock hash, KEYS[3..] further keys to delete with it
-- ARGV[1] fence token ('0' = none)
expect('hash', KEYS[1], KEYS[2])
local fenced = fence_check(KEYS[2], ARGV[1])
if fenced then
  return fenced
end
local ix = redis.call('HGET', KEYS[1], 'ix')
if not ix then
  for i = 3, #KEYS do
    redis.call('DEL', KEYS[i])
  end
  return {'OK', 0}
end
index_remove(ix)
redis.call('DEL', KEYS[1])
for i = 3, #KEYS do
  redis.call('DEL', KEYS[i])
end
return {'OK', 1}
