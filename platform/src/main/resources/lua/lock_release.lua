-- RedisLock release: compare-and-delete, so a holder whose lock expired and was taken by another
-- never deletes the new holder's lock.
-- KEYS[1]: the lock key. ARGV[1]: our token.
-- Returns 1 when deleted, 0 when the key is gone or holds another token.
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
