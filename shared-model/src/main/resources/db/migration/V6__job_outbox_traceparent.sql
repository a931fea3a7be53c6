-- The W3C trace context of the enqueue, pushed with the job so the worker's span continues the
-- request's trace (TraceContext). Null when the enqueue was outside any trace.
alter table job_outbox add column traceparent varchar(64);
