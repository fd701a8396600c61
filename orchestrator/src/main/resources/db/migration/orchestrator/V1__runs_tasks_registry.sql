-- Runs, their event log and per-epoch metrics, the task queue, the model registry, idempotency
-- keys and owner leases. Timestamps are timestamptz and come from the database clock (now()),
-- so leases compare against one clock across replicas.

CREATE TABLE runs (
    id               uuid PRIMARY KEY,
    caller           text        NOT NULL,
    model_name       text        NOT NULL,
    method           text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('QUEUED', 'TRAINING', 'EVALUATING',
                                                           'SUCCEEDED', 'FAILED', 'CANCELLED')),
    spec             jsonb       NOT NULL,
    cancel_requested boolean     NOT NULL DEFAULT false,
    current_epoch    integer,
    latest_metrics   jsonb,
    artifact_uri     text,
    evaluation_id    uuid,
    model_version    integer,
    error            text,
    waiting_stage    text,
    checkpoints_deleted_at timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz
);
CREATE INDEX runs_created_idx ON runs (created_at DESC, id DESC);
CREATE INDEX runs_status_idx ON runs (status, created_at DESC);

CREATE TABLE run_events (
    id         bigserial PRIMARY KEY,
    run_id     uuid        NOT NULL REFERENCES runs (id),
    at         timestamptz NOT NULL DEFAULT clock_timestamp(),
    type       text        NOT NULL,
    message    text        NOT NULL
);
CREATE INDEX run_events_run_idx ON run_events (run_id, id);

CREATE TABLE run_metrics (
    run_id      uuid        NOT NULL REFERENCES runs (id),
    epoch       integer     NOT NULL,
    metrics     jsonb       NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, epoch)
);

-- One task per (run, stage). status RUNNING means claimed and leased; DISPATCHED means reserved
-- for a Kubernetes Job that has not claimed it yet.
CREATE TABLE tasks (
    id               uuid PRIMARY KEY,
    run_id           uuid        NOT NULL REFERENCES runs (id),
    stage            text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('TRAIN', 'EVAL')),
    status           text        NOT NULL CHECK (status IN ('QUEUED', 'DISPATCHED', 'RUNNING',
                                                           'SUCCEEDED', 'FAILED', 'CANCELLED')),
    input            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    fencing_token    bigint      NOT NULL DEFAULT 0,
    attempt          integer     NOT NULL DEFAULT 1,
    max_attempts     integer     NOT NULL,
    worker_id        text,
    lease_expires_at timestamptz,
    cancel_requested boolean     NOT NULL DEFAULT false,
    progress         jsonb,
    result           jsonb,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    claimed_at       timestamptz,
    finished_at      timestamptz,
    CONSTRAINT tasks_run_stage_key UNIQUE (run_id, stage)
);
CREATE INDEX tasks_queued_idx ON tasks (kind, created_at, id) WHERE status = 'QUEUED';
CREATE INDEX tasks_leased_idx ON tasks (lease_expires_at) WHERE status IN ('RUNNING', 'DISPATCHED');

CREATE TABLE model_versions (
    model_name        text             NOT NULL,
    version           integer          NOT NULL,
    run_id            uuid             NOT NULL UNIQUE REFERENCES runs (id),
    artifact_uri      text             NOT NULL,
    input_contract    jsonb,
    evaluation_id     uuid,
    metrics           jsonb            NOT NULL DEFAULT '{}'::jsonb,
    abstain_threshold double precision,
    created_at        timestamptz      NOT NULL DEFAULT now(),
    PRIMARY KEY (model_name, version)
);

-- The production version of each model; one row per model, changed only with a promotions row.
CREATE TABLE model_production (
    model_name  text        PRIMARY KEY,
    version     integer     NOT NULL,
    promoted_at timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (model_name, version) REFERENCES model_versions (model_name, version)
);

CREATE TABLE promotions (
    id               bigserial PRIMARY KEY,
    model_name       text        NOT NULL,
    version          integer     NOT NULL,
    previous_version integer,
    action           text        NOT NULL CHECK (action IN ('PROMOTE', 'AUTO_PROMOTE', 'ROLLBACK')),
    actor            text        NOT NULL,
    reason           text,
    at               timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX promotions_model_idx ON promotions (model_name, id DESC);

CREATE TABLE idempotency_keys (
    caller     text        NOT NULL,
    key        text        NOT NULL,
    body_hash  text        NOT NULL,
    run_id     uuid        NOT NULL REFERENCES runs (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (caller, key)
);

-- The replica that drives a run's Batch job. Another replica takes a run over only after
-- lease_expires_at has passed.
CREATE TABLE run_owners (
    run_id           uuid PRIMARY KEY REFERENCES runs (id),
    owner_id         text        NOT NULL,
    lease_expires_at timestamptz NOT NULL,
    acquired_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX run_owners_owner_idx ON run_owners (owner_id);
