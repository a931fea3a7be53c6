-- Marks fresh deliveries running. Their stream entries carried the job's data, so the worker
-- has already started them; this records it for the status API and for finish.lua, which only
-- applies an outcome for the attempt marked here. A delivery whose job is gone or already final
-- is acknowledged and dropped, and its outcome will not be recorded. A delivery whose job has
-- meanwhile a newer attempt (the mark came so late that another worker reclaimed the entry) is
-- dropped without an acknowledgement: the entry belongs to that worker now.
-- ARGV: 1 prefix, 2 queue, 3 now_ms, 4 worker, then triples (job id, stream entry id, attempt).
-- Returns the ids of the dropped jobs.
--#include lib/ack.lua
--#include lib/runs.lua
local prefix, queue, now, worker = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local stream = prefix .. ':q:' .. queue
local dropped = {}
local drop = {}
for i = 5, #ARGV, 3 do
  local id, sid, attempt = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local key = prefix .. ':job:' .. id
  local f = redis.call('HMGET', key, 'state', 'attempts', 'runs')
  local state = f[1]
  if (not state) or state == 'succeeded' or state == 'dead' or state == 'cancelled' then
    table.insert(drop, sid)
    table.insert(dropped, id)
  elseif tonumber(f[2] or '0') >= tonumber(attempt) then
    table.insert(dropped, id)
  else
    local run, run_field, run_value = run_started(key, f[3], now, attempt, worker)
    redis.call('HSET', key, 'state', 'running', 'attempts', attempt, 'started_at', now, 'worker', worker, 'stream_id', sid,
      'runs', run, run_field, run_value)
  end
end
ack_and_delete(stream, drop)
return dropped
