-- SPEC §6.3: add ARGV[2] to field ARGV[1] of the hash KEYS[1] only if the hash exists.
-- An absent hash stays absent (the next read loads it from the database), so a write never
-- creates a partial hash with one field. Returns 1 if incremented, 0 if the key was absent.
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
return 0
