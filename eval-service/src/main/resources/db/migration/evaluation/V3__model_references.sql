-- The registered versions that the run spec's baselineModel and alignWith resolved to, as the
-- orchestrator put them into the EVAL task input. Null when the spec named no such model or
-- named it by run id (then only baseline_directory or align_with_directory records which).
ALTER TABLE evaluations
    ADD COLUMN baseline_model_name     text,
    ADD COLUMN baseline_model_version  integer,
    ADD COLUMN align_with_model_name    text,
    ADD COLUMN align_with_model_version integer;
