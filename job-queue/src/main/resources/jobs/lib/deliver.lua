-- Fragment: appends one delivery of a job to its queue's stream. The entry carries what a worker
-- needs to start the job at once, without reading its hash (see mark.lua); start.lua reads the
-- hash for entries that a worker takes over. trace: the W3C traceparent of the enqueue (false,
-- nil or '' when none), which the worker's span for the attempt continues.
local function deliver(stream, id, attempt, task, payload, max_retries, time_limit_ms, ready_at, trace)
  if trace and trace ~= '' then
    redis.call('XADD', stream, '*', 'id', id, 'attempt', attempt, 'task', task, 'payload', payload,
      'max_retries', max_retries, 'time_limit_ms', time_limit_ms, 'ready_at', ready_at, 'trace', trace)
  else
    redis.call('XADD', stream, '*', 'id', id, 'attempt', attempt, 'task', task, 'payload', payload,
      'max_retries', max_retries, 'time_limit_ms', time_limit_ms, 'ready_at', ready_at)
  end
end
