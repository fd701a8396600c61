package org.byov.trainer.training;

import org.byov.common.run.OptimizerSpec;
import org.byov.common.run.RunSpec;
import org.byov.core.bayes.PriorKind;
import org.byov.core.nn.BayesianScope;
import org.byov.core.train.Method;
import org.byov.core.train.TrainingSpec;

/**
 * Maps the run spec of a TRAIN task onto byov-core's training spec. A null hyperparameter in the
 * run spec keeps the byov-core default; TrainingSpec validates the result and names the field of
 * any invalid combination.
 */
public final class TrainingSpecs {

  private TrainingSpecs() {}

  /**
   * Returns the training spec of {@code run}.
   *
   * @throws IllegalArgumentException when the combination is invalid (for example byov with
   *     Bayesian scope none)
   */
  public static TrainingSpec fromRunSpec(RunSpec run) {
    OptimizerSpec optimizer = run.optimizer();
    TrainingSpec.Builder builder =
        TrainingSpec.builder()
            .method(Method.parse(run.method().wireName()))
            .backbone(backboneName(run.backbone()))
            .bayesianScope(BayesianScope.Kind.valueOf(run.bayesianScope().name()))
            .bayesianScopeK(run.k())
            .prior(PriorKind.valueOf(run.prior().name()))
            .epochs(run.epochs())
            .batchSize(run.batchSize())
            .seed(run.seed())
            .dataset(run.dataset())
            .trainSubset(run.trainSubset());
    if (run.priorSigma() != null) {
      builder.priorSigma(run.priorSigma());
    }
    if (run.klWeight() != null) {
      builder.klWeight(run.klWeight());
    }
    if (run.klWarmupEpochs() != null) {
      builder.klWarmupEpochs(run.klWarmupEpochs());
    }
    if (optimizer.lr() != null) {
      builder.learningRate(optimizer.lr());
    }
    if (optimizer.weightDecay() != null) {
      builder.weightDecay(optimizer.weightDecay());
    }
    // The core default warm-up (in epochs) may exceed a short run, so it is capped at the epochs.
    double warmup =
        optimizer.warmupEpochs() != null
            ? optimizer.warmupEpochs()
            : Math.min(TrainingSpec.DEFAULT_WARMUP_EPOCHS, run.epochs());
    builder.warmupEpochs(warmup);
    return builder.build();
  }

  private static String backboneName(org.byov.common.run.Backbone backbone) {
    return switch (backbone) {
      case CNN -> "cnn";
      case RESNET18 -> "resnet18";
      case VIT -> "vit";
    };
  }
}
