-- One evaluation per EVAL task. A rerun of the task (a new attempt) keeps the evaluation id and
-- replaces every child row in one transaction.
CREATE TABLE evaluations (
    id                          uuid PRIMARY KEY,
    task_id                     uuid NOT NULL UNIQUE,
    run_id                      uuid,
    status                      text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    attempt                     integer NOT NULL DEFAULT 1,
    model_directory             text NOT NULL,
    manifest_sha256             text,
    method                      text,
    bayesian_scope              text,
    baseline_directory          text,
    baseline_manifest_sha256    text,
    align_with_directory        text,
    samples                     integer,
    seed                        bigint,
    code_version                text,
    dataset_fingerprints        jsonb,
    options                     jsonb,
    headline_metrics            jsonb,
    abstain_score               text,
    abstain_threshold           double precision,
    abstain_target_coverage     double precision,
    abstain_validation_accuracy double precision,
    report_uri                  text,
    error                       text,
    started_at                  timestamptz NOT NULL DEFAULT now(),
    finished_at                 timestamptz,
    duration_seconds            double precision
);

CREATE INDEX evaluations_run_id ON evaluations (run_id);

-- Every scalar in long form. Key columns hold 'none', severity 0 or sparsity 0 where they do not
-- apply, so that the primary key is total. model is 'candidate' or 'baseline'.
CREATE TABLE metrics (
    evaluation_id uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    model         text NOT NULL,
    split         text NOT NULL,
    corruption    text NOT NULL,
    severity      integer NOT NULL CHECK (severity BETWEEN 0 AND 5),
    score         text NOT NULL,
    sparsity      double precision NOT NULL CHECK (sparsity >= 0 AND sparsity <= 1),
    metric        text NOT NULL,
    value         double precision,
    reason        text,
    PRIMARY KEY (evaluation_id, model, split, corruption, severity, score, sparsity, metric),
    CHECK ((value IS NULL) <> (reason IS NULL))
);

-- Top-label reliability bins of the clean test set (corruption 'none', severity 0) and of each
-- corruption and severity.
CREATE TABLE reliability_bins (
    evaluation_id   uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    model           text NOT NULL,
    corruption      text NOT NULL,
    severity        integer NOT NULL,
    bin_index       integer NOT NULL,
    lower_edge      double precision NOT NULL,
    upper_edge      double precision NOT NULL,
    count           integer NOT NULL,
    mean_confidence double precision,
    accuracy        double precision,
    PRIMARY KEY (evaluation_id, model, corruption, severity, bin_index)
);

CREATE TABLE pruning_points (
    evaluation_id            uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    model                    text NOT NULL,
    criterion                text NOT NULL CHECK (criterion IN ('snr', 'magnitude')),
    sparsity                 double precision NOT NULL,
    accuracy                 double precision,
    reason                   text,
    pruned_fraction_by_layer jsonb NOT NULL,
    PRIMARY KEY (evaluation_id, model, criterion, sparsity)
);

CREATE TABLE layer_snr (
    evaluation_id  uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    model          text NOT NULL,
    layer          text NOT NULL,
    weights        bigint NOT NULL,
    mean           double precision NOT NULL,
    median         double precision NOT NULL,
    first_quartile double precision NOT NULL,
    third_quartile double precision NOT NULL,
    min            double precision NOT NULL,
    max            double precision NOT NULL,
    PRIMARY KEY (evaluation_id, model, layer)
);

-- OOD detection per score, OOD being the positive class, with the score histograms of the report.
CREATE TABLE ood_results (
    evaluation_id       uuid NOT NULL REFERENCES evaluations (id) ON DELETE CASCADE,
    model               text NOT NULL,
    score               text NOT NULL,
    ood_dataset         text NOT NULL,
    in_distribution     integer NOT NULL,
    out_of_distribution integer NOT NULL,
    auroc               double precision,
    aupr                double precision,
    fpr_at_95_tpr       double precision,
    histogram           jsonb NOT NULL,
    PRIMARY KEY (evaluation_id, model, score)
);
