-- Creates a job and makes it deliverable, atomically: a crash cannot leave a job hash without a
-- queue entry, or a queue entry without its hash.
-- KEYS: 1 job hash, 2 stream, 3 delayed zset, 4 idempotency key ('' when none), 5 queue registry set,
--       6 outbox marker ('' or absent for a direct enqueue)
-- ARGV: 1 id, 2 task, 3 queue, 4 payload, 5 max_retries, 6 time_limit_ms, 7 now_ms, 8 eta_ms,
--       9 owner, 10 idempotency and marker ttl s, 11 idempotency key (plain)
-- Returns {job id, 1 when created here or 0 when it existed}.
--#include lib/ensure_group.lua
--#include lib/deliver.lua
if KEYS[6] and KEYS[6] ~= '' then
  -- An outbox row is pushed after its commit and may be pushed again by the relay. The marker
  -- lives for the idempotency TTL (a day), far longer than a row waits for the relay, so even a
  -- job that already ran and whose hash expired is not created again.
  if redis.call('EXISTS', KEYS[1]) == 1 or not redis.call('SET', KEYS[6], '1', 'NX', 'EX', ARGV[10]) then
    return {ARGV[1], 0}
  end
end
if KEYS[4] ~= '' then
  local existing = redis.call('GET', KEYS[4])
  if existing then
    return {existing, 0}
  end
  redis.call('SET', KEYS[4], ARGV[1], 'EX', ARGV[10])
end
ensure_group(KEYS[2])
local now = tonumber(ARGV[7])
local eta = tonumber(ARGV[8])
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'task', ARGV[2], 'queue', ARGV[3], 'payload', ARGV[4],
  'state', 'queued', 'attempts', 0, 'max_retries', ARGV[5], 'time_limit_ms', ARGV[6],
  'enqueued_at', now, 'ready_at', math.max(now, eta), 'owner', ARGV[9], 'idempotency_key', ARGV[11])
redis.call('SADD', KEYS[5], ARGV[3])
if eta > now then
  redis.call('ZADD', KEYS[3], eta, ARGV[1])
else
  deliver(KEYS[2], ARGV[1], 1, ARGV[2], ARGV[4], ARGV[5], ARGV[6], now)
end
return {ARGV[1], 1}
