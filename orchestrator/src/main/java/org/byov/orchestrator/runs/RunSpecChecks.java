package org.byov.orchestrator.runs;

import org.byov.common.problem.ApiProblemException;
import org.byov.common.run.BayesianScope;
import org.byov.common.run.Method;
import org.byov.common.run.RunSpec;

/** Checks that span several fields of a run spec; single-field limits are annotations. */
final class RunSpecChecks {

  private RunSpecChecks() {}

  /** Throws a 400 problem naming the offending field. */
  static void check(RunSpec spec) {
    if (spec.method() == Method.BYOL && spec.bayesianScope() != BayesianScope.NONE) {
      throw ApiProblemException.invalidField(
          "bayesianScope", "must be none for method byol; use method byov for Bayesian layers");
    }
    if (spec.method() != Method.BYOL && spec.bayesianScope() == BayesianScope.NONE) {
      throw ApiProblemException.invalidField(
          "bayesianScope",
          "must be last-k or all for method " + spec.method().wireName() + "; use byol for none");
    }
    if (spec.evaluation().baselineRun() != null && spec.evaluation().baselineModel() != null) {
      throw ApiProblemException.invalidField(
          "evaluation.baselineModel", "set either baselineRun or baselineModel, not both");
    }
    Integer warmup = spec.optimizer().warmupEpochs();
    if (warmup != null && warmup >= spec.epochs()) {
      throw ApiProblemException.invalidField(
          "optimizer.warmupEpochs", "must be less than epochs (" + spec.epochs() + ")");
    }
    if (spec.trainSubset() != null && spec.trainSubset() < spec.batchSize()) {
      throw ApiProblemException.invalidField(
          "trainSubset", "must be at least batchSize (" + spec.batchSize() + ")");
    }
  }
}
