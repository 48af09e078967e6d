-- A DLQ item as stored (body, version, claim) and the store's time, in one step.
-- KEYS[1] item hash; ARGV[1] now
return {int(now_us(ARGV[1])), redis.call('HMGET', KEYS[1], 'body', 'ver', 'ct', 'cw', 'cat', 'cexp')}
