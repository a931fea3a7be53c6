-- Transactional outbox: a job enqueued inside a database transaction is written here, in that
-- transaction, and pushed to Redis after it commits (JobOutbox). A row left behind by a crash or a
-- Redis outage is pushed by the relay (OutboxRelay); the row's id is the job id, so pushing twice
-- is harmless. Rows live for seconds; the relay deletes them once their job is in Redis.
create table job_outbox (
    id              uuid         primary key,
    -- the queue's Redis key prefix (app.queue.prefix): deployments or tests sharing a database
    -- relay only their own jobs
    queue_prefix    varchar(64)  not null,
    task            varchar(200) not null,
    queue           varchar(64)  not null,
    payload         text         not null,
    max_retries     integer      not null,
    time_limit_ms   bigint       not null,
    enqueued_at_ms  bigint       not null,
    eta_ms          bigint       not null,
    owner_id        bigint,
    idempotency_key varchar(200),
    created_at      timestamptz  not null default now()
);
create index job_outbox_prefix_created_idx on job_outbox (queue_prefix, created_at);
