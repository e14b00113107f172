-- RedisLock fencing: write a data key only while the lock still holds our token, in one atomic
-- step, so a holder that was paused past its TTL (GC, SIGSTOP) cannot overwrite what the new
-- holder published.
-- KEYS[1]: the lock key, KEYS[2]: the data key. ARGV[1]: our token, ARGV[2]: the value.
-- Returns 1 when written, 0 when the lock is not ours (nothing written).
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2])
  return 1
end
return 0
