-- Records the outcome of attempts and moves each job on; the whole batch is one atomic step.
-- ARGV: 1 prefix, 2 queue, 3 now_ms, 4 result ttl s, then groups of 6:
--   job id, stream entry id, attempt, outcome (ok|retry|dead|requeue), data (result or error), retry_at_ms
-- An outcome is applied, and its stream entry acknowledged and deleted, only when it is for the
-- job's current attempt. A stale outcome (this worker's lease lapsed and another worker took the
-- job over; a redelivered entry keeps its id) changes nothing: acknowledging it would remove the
-- new owner's pending entry, and if that worker then died the job would stay running forever.
-- Returns how many outcomes were applied.
--#include lib/deliver.lua
--#include lib/ack.lua
--#include lib/runs.lua
local prefix, queue, now, ttl = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local stream = prefix .. ':q:' .. queue
local applied = 0
local sids = {}
for i = 5, #ARGV, 6 do
  local id, sid, attempt, outcome, data, retry_at = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3], ARGV[i + 4], ARGV[i + 5]
  local key = prefix .. ':job:' .. id
  local f = redis.call('HMGET', key, 'state', 'attempts', 'stream_id', 'runs')
  if f[1] == 'running' and f[2] == attempt and f[3] == sid then
    applied = applied + 1
    table.insert(sids, sid)
    local run_field, run_value = run_ended(f[4], now, outcome, outcome ~= 'ok' and data or '')
    if outcome == 'ok' then
      redis.call('HSET', key, 'state', 'succeeded', 'finished_at', now, 'result', data, run_field, run_value)
      redis.call('EXPIRE', key, ttl)
    elseif outcome == 'retry' then
      redis.call('HSET', key, 'state', 'retrying', 'error', data, 'ready_at', retry_at, run_field, run_value)
      redis.call('ZADD', prefix .. ':delayed:' .. queue, retry_at, id)
    elseif outcome == 'dead' then
      redis.call('HSET', key, 'state', 'dead', 'finished_at', now, 'error', data, run_field, run_value)
      redis.call('ZADD', prefix .. ':dead:' .. queue, now, id)
    elseif outcome == 'requeue' then
      redis.call('HSET', key, 'state', 'queued', 'attempts', tonumber(attempt) - 1, 'ready_at', now, run_field, run_value)
      local j = redis.call('HMGET', key, 'task', 'payload', 'max_retries', 'time_limit_ms', 'trace')
      deliver(stream, key, id, attempt, j[1], j[2], j[3], j[4], now, j[5])
    end
  end
end
ack_and_delete(stream, sids)
return applied
