package org.byov.trainer.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.byov.common.run.Backbone;
import org.byov.common.run.BayesianScope;
import org.byov.common.run.Method;
import org.byov.common.run.OptimizerSpec;
import org.byov.common.run.Prior;
import org.byov.common.run.RunSpec;
import org.byov.core.bayes.PriorKind;
import org.byov.core.train.TrainingSpec;
import org.junit.jupiter.api.Test;

class TrainingSpecsTest {

  private static RunSpec run(
      Method method, BayesianScope scope, Prior prior, Double klWeight, OptimizerSpec optimizer,
      int epochs) {
    return new RunSpec(
        "model", "fashion-mnist", method, null, scope, null, prior, null, klWeight, null,
        optimizer, epochs, 32, 5L, 256, null, null);
  }

  @Test
  void nullHyperparametersKeepCoreDefaults() {
    TrainingSpec spec = TrainingSpecs.fromRunSpec(run(Method.BYOV, null, null, null, null, 10));

    assertThat(spec.method()).isEqualTo(org.byov.core.train.Method.BYOV);
    assertThat(spec.backbone()).isEqualTo("cnn");
    assertThat(spec.bayesianScope()).isEqualTo(org.byov.core.nn.BayesianScope.Kind.LAST_K);
    assertThat(spec.bayesianScopeK()).isEqualTo(1);
    // RunSpec's own default prior is standard-normal, so that is what arrives.
    assertThat(spec.prior()).isEqualTo(PriorKind.STANDARD_NORMAL);
    assertThat(spec.priorSigma()).isEqualTo(TrainingSpec.DEFAULT_PRIOR_SIGMA);
    assertThat(spec.klWeight()).isEqualTo(TrainingSpec.DEFAULT_KL_WEIGHT);
    assertThat(spec.learningRate()).isEqualTo(TrainingSpec.DEFAULT_LEARNING_RATE);
    assertThat(spec.weightDecay()).isEqualTo(TrainingSpec.DEFAULT_WEIGHT_DECAY);
    assertThat(spec.warmupEpochs()).isEqualTo(TrainingSpec.DEFAULT_WARMUP_EPOCHS);
    assertThat(spec.tauBase()).isEqualTo(TrainingSpec.DEFAULT_TAU_BASE);
    assertThat(spec.epochs()).isEqualTo(10);
    assertThat(spec.batchSize()).isEqualTo(32);
    assertThat(spec.seed()).isEqualTo(5L);
    assertThat(spec.trainSubset()).isEqualTo(256);
    assertThat(spec.dataset()).isEqualTo("fashion-mnist");
  }

  @Test
  void explicitValuesAreCarriedOver() {
    RunSpec run =
        new RunSpec(
            "model", "mnist", Method.BYOV, Backbone.RESNET18, BayesianScope.LAST_K, 2,
            Prior.TEACHER, 0.5, 0.1, 3, new OptimizerSpec(0.01, 0.001, 2), 20, 64, 9L, null, null,
            null);

    TrainingSpec spec = TrainingSpecs.fromRunSpec(run);

    assertThat(spec.backbone()).isEqualTo("resnet18");
    assertThat(spec.bayesianScopeK()).isEqualTo(2);
    assertThat(spec.prior()).isEqualTo(PriorKind.TEACHER);
    assertThat(spec.priorSigma()).isEqualTo(0.5);
    assertThat(spec.klWeight()).isEqualTo(0.1);
    assertThat(spec.klWarmupEpochs()).isEqualTo(3.0);
    assertThat(spec.learningRate()).isEqualTo(0.01);
    assertThat(spec.weightDecay()).isEqualTo(0.001);
    assertThat(spec.warmupEpochs()).isEqualTo(2.0);
    assertThat(spec.trainSubset()).isNull();
  }

  @Test
  void byolRunHasNoBayesianScope() {
    TrainingSpec spec = TrainingSpecs.fromRunSpec(run(Method.BYOL, null, null, null, null, 3));

    assertThat(spec.method()).isEqualTo(org.byov.core.train.Method.BYOL);
    assertThat(spec.effectiveScope().kind()).isEqualTo(org.byov.core.nn.BayesianScope.Kind.NONE);
  }

  @Test
  void invalidCombinationNamesTheField() {
    RunSpec run = run(Method.SUPERVISED_BBB, BayesianScope.LAST_K, Prior.TEACHER, null, null, 3);

    assertThatThrownBy(() -> TrainingSpecs.fromRunSpec(run))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("prior");
  }
}
