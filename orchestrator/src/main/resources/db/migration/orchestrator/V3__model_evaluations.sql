-- The evaluation history of each model version: the evaluation its run registered it with and
-- every successful on-demand evaluation (POST /api/v1/models/{name}/versions/{v}:evaluate).
-- model_versions keeps the values of the latest one in evaluation_id, metrics, abstain_threshold
-- and evaluated_at, so that reads of a version need no join.

ALTER TABLE model_versions ADD COLUMN evaluated_at timestamptz;
UPDATE model_versions SET evaluated_at = created_at;
ALTER TABLE model_versions ALTER COLUMN evaluated_at SET NOT NULL,
                           ALTER COLUMN evaluated_at SET DEFAULT now();

CREATE TABLE model_evaluations (
    id                bigserial PRIMARY KEY,
    model_name        text             NOT NULL,
    version           integer          NOT NULL,
    source            text             NOT NULL CHECK (source IN ('REGISTRATION', 'ON_DEMAND')),
    evaluation_id     uuid,
    -- The on-demand EVAL task; null for the registration's evaluation.
    task_id           uuid             UNIQUE REFERENCES tasks (id),
    metrics           jsonb            NOT NULL DEFAULT '{}'::jsonb,
    abstain_threshold double precision,
    report_uri        text,
    evaluated_at      timestamptz      NOT NULL DEFAULT now(),
    FOREIGN KEY (model_name, version) REFERENCES model_versions (model_name, version)
);
CREATE INDEX model_evaluations_version_idx ON model_evaluations (model_name, version, id DESC);

-- Versions registered before this migration: their registration-time evaluation, with the report
-- URI from the run's evaluate task.
INSERT INTO model_evaluations (model_name, version, source, evaluation_id, metrics,
                               abstain_threshold, report_uri, evaluated_at)
SELECT v.model_name, v.version, 'REGISTRATION', v.evaluation_id, v.metrics, v.abstain_threshold,
       t.result ->> 'reportUri', v.created_at
FROM model_versions v
LEFT JOIN tasks t ON t.run_id = v.run_id AND t.stage = 'evaluate'
ORDER BY v.created_at, v.model_name, v.version;

-- On-demand evaluations that succeeded before this migration, oldest first.
INSERT INTO model_evaluations (model_name, version, source, evaluation_id, task_id, metrics,
                               abstain_threshold, report_uri, evaluated_at)
SELECT v.model_name, v.version, 'ON_DEMAND', (t.result ->> 'evaluationId')::uuid, t.id,
       coalesce(t.result -> 'headlineMetrics', '{}'::jsonb),
       (t.result ->> 'abstainThreshold')::double precision, t.result ->> 'reportUri',
       coalesce(t.finished_at, t.updated_at)
FROM tasks t
JOIN model_versions v ON v.model_name = t.input ->> 'modelName'
                     AND v.version = (t.input ->> 'modelVersion')::integer
WHERE t.kind = 'EVAL' AND t.status = 'SUCCEEDED' AND t.input ->> 'modelName' IS NOT NULL
ORDER BY coalesce(t.finished_at, t.updated_at), t.id;

-- Those versions now show their latest evaluation.
UPDATE model_versions v
SET evaluation_id = latest.evaluation_id, metrics = latest.metrics,
    abstain_threshold = latest.abstain_threshold, evaluated_at = latest.evaluated_at
FROM (SELECT DISTINCT ON (model_name, version) *
      FROM model_evaluations
      ORDER BY model_name, version, id DESC) latest
WHERE latest.model_name = v.model_name AND latest.version = v.version
  AND latest.source = 'ON_DEMAND';
