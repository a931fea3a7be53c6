-- Creates many jobs of one queue in one call (JobQueue.enqueueAll, the batched async enqueue and
-- the pushes after a commit), each exactly as enqueue.lua would, in the order given.
-- KEYS: 1 stream, 2 delayed zset, 3 queue registry set, then 3 per job i (from 0):
--       4+3i job hash, 5+3i idempotency key ('' when none), 6+3i outbox marker ('' when none)
-- ARGV: 1 queue, 2 idempotency and marker ttl s, then 10 per job i (from 0):
--       3+10i id, 4+10i task, 5+10i payload, 6+10i max_retries, 7+10i time_limit_ms, 8+10i now_ms,
--       9+10i eta_ms, 10+10i owner, 11+10i idempotency key (plain), 12+10i traceparent ('' when none)
-- Returns {id 1, created 1, id 2, created 2, ...}: created is 1 when made here, 0 when it existed.
--#include lib/create_job.lua
local out = {}
local any = false
local jobs = (#KEYS - 3) / 3
for i = 0, jobs - 1 do
  local k = 4 + 3 * i
  local a = 3 + 10 * i
  local id, created = create_job(KEYS[k], KEYS[1], KEYS[2], KEYS[k + 1], KEYS[k + 2], ARGV[a], ARGV[a + 1], ARGV[1],
    ARGV[a + 2], ARGV[a + 3], ARGV[a + 4], ARGV[a + 5], ARGV[a + 6], ARGV[a + 7], ARGV[2], ARGV[a + 8], ARGV[a + 9])
  out[#out + 1] = id
  out[#out + 1] = created
  any = any or created == 1
end
if any then
  redis.call('SADD', KEYS[3], ARGV[1])
end
return out
