-- Checks a one-time code (SPEC §4.4). Atomic: a code is accepted at most once.
-- KEYS[1]: phone_code:<biz>:<phone>   KEYS[2]: <KEYS[1]>:cnt   ARGV[1]: the code typed by the user
-- Returns 0 correct (the code is burnt: cnt becomes -1, TTL kept), -1 wrong (one attempt used),
-- -2 no attempts left, no code, or already used. Callers only ever learn "wrong code".
local cnt = tonumber(redis.call('GET', KEYS[2]))
if cnt == nil or cnt <= 0 then
  return -2
end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[2], -1, 'KEEPTTL')
  return 0
end
redis.call('DECR', KEYS[2])
return -1
