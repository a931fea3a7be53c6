-- Fragment: appends one delivery of a job to its queue's stream. The entry carries what a worker
-- needs to start the job at once, without reading its hash (see mark.lua); start.lua reads the
-- hash for entries that a worker takes over. trace: the W3C traceparent of the enqueue (false,
-- nil or '' when none), which the worker's span for the attempt continues. The entry's id goes
-- to the job's stream_id, so cancel.lua can take back an entry no worker has read yet.
local function deliver(stream, job_key, id, attempt, task, payload, max_retries, time_limit_ms, ready_at, trace)
  local sid
  if trace and trace ~= '' then
    sid = redis.call('XADD', stream, '*', 'id', id, 'attempt', attempt, 'task', task, 'payload', payload,
      'max_retries', max_retries, 'time_limit_ms', time_limit_ms, 'ready_at', ready_at, 'trace', trace)
  else
    sid = redis.call('XADD', stream, '*', 'id', id, 'attempt', attempt, 'task', task, 'payload', payload,
      'max_retries', max_retries, 'time_limit_ms', time_limit_ms, 'ready_at', ready_at)
  end
  redis.call('HSET', job_key, 'stream_id', sid)
end
