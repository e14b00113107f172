-- RedisLock renewal: extend the lock's TTL only while it still holds our token.
-- KEYS[1]: the lock key. ARGV[1]: our token, ARGV[2]: the TTL in ms.
-- Returns 1 when renewed, 0 when the key is gone or holds another token (the lock was lost).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
