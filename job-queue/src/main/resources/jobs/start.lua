-- Marks delivered jobs as running and returns what the worker needs to run them: redeliveries
-- (reclaimed from a worker whose lease lapsed) and entries that carry only the job id.
-- A delivery whose job is gone or already final is acknowledged and dropped here; so is nothing
-- the worker does not own any more (another worker reclaimed it in between), which is skipped
-- without an acknowledgement.
-- ARGV: 1 prefix, 2 queue, 3 now_ms, 4 worker, then pairs (job id, stream entry id)
-- Returns per delivery {job id, entry id, 'skip'} or {job id, entry id, 'run', attempt, task,
-- payload, max_retries, time_limit_ms, ready_at, traceparent or false}.
--#include lib/owner.lua
--#include lib/ack.lua
--#include lib/runs.lua
local prefix, queue, now, worker = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local stream = prefix .. ':q:' .. queue
local out = {}
local drop = {}
for i = 5, #ARGV, 2 do
  local id, sid = ARGV[i], ARGV[i + 1]
  local key = prefix .. ':job:' .. id
  if not pending_for(stream, sid, worker) then
    table.insert(out, {id, sid, 'skip'})
  else
    local f = redis.call('HMGET', key, 'state', 'attempts', 'task', 'payload', 'max_retries', 'time_limit_ms', 'ready_at', 'trace', 'runs')
    local state = f[1]
    if (not state) or state == 'succeeded' or state == 'dead' or state == 'cancelled' then
      table.insert(drop, sid)
      table.insert(out, {id, sid, 'skip'})
    else
      local attempts = tonumber(f[2]) + 1
      local run, run_field, run_value = run_started(key, f[9], now, attempts, worker)
      redis.call('HSET', key, 'state', 'running', 'attempts', attempts, 'started_at', now, 'worker', worker, 'stream_id', sid,
        'runs', run, run_field, run_value)
      table.insert(out, {id, sid, 'run', attempts, f[3], f[4], f[5], f[6], f[7], f[8]})
    end
  end
end
ack_and_delete(stream, drop)
return out
