-- Creates a job and makes it deliverable, atomically: a crash cannot leave a job hash without a
-- queue entry, or a queue entry without its hash.
-- KEYS: 1 job hash, 2 stream, 3 delayed zset, 4 idempotency key ('' when none), 5 queue registry set,
--       6 outbox marker ('' or absent for a direct enqueue)
-- ARGV: 1 id, 2 task, 3 queue, 4 payload, 5 max_retries, 6 time_limit_ms, 7 now_ms, 8 eta_ms,
--       9 owner, 10 idempotency and marker ttl s, 11 idempotency key (plain),
--       12 W3C traceparent of the enqueue ('' or absent when none)
-- Returns {job id, 1 when created here or 0 when it existed}.
--#include lib/create_job.lua
local id, created = create_job(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[6], ARGV[1], ARGV[2], ARGV[3], ARGV[4],
  ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9], ARGV[10], ARGV[11], ARGV[12])
if created == 1 then
  redis.call('SADD', KEYS[5], ARGV[3])
end
return {id, created}
