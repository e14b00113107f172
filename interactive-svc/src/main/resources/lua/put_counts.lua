-- Caches one item's counters: the three fields and the TTL (ARGV[4], ms) in one step, so a
-- reader never sees a hash without its expiry or with some fields missing.
redis.call('HSET', KEYS[1], 'read_cnt', ARGV[1], 'like_cnt', ARGV[2], 'collect_cnt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
