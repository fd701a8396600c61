package org.byov.core.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.byov.core.nn.BayesianScope;
import org.byov.core.nn.ImageShape;
import org.byov.core.nn.LayerFactory;
import org.byov.core.nn.Network;
import org.byov.core.nn.NetworkLayout;
import org.byov.core.nn.Parameter;
import org.byov.core.nn.ParameterRole;
import org.junit.jupiter.api.Test;

class EmaTargetTest {

  private static final NetworkLayout LAYOUT =
      new NetworkLayout("cnn", new ImageShape(1, 8, 8), BayesianScope.lastK(1), 0);

  @Test
  void everyTargetParameterFollowsTheOnlineNetwork() {
    try (NDManager manager = NDManager.newBaseManager();
        Network online = Network.build(manager, LAYOUT, Network.Heads.ONLINE_BYOL,
            LayerFactory.Kind.ONLINE, 1);
        Network target = Network.build(manager, LAYOUT, Network.Heads.TARGET_BYOL,
            LayerFactory.Kind.FROZEN, 1)) {
      for (Parameter parameter : online.store().all()) {
        parameter.array().set(new float[(int) parameter.array().size()]);
      }
      for (Parameter parameter : target.store().all()) {
        parameter.array().set(ones((int) parameter.array().size()));
      }

      EmaTarget.update(online.store(), target.store(), 0.99);
      assertAll(target, 0.99, 0.99 + 0.01 * Math.log(2));

      for (int i = 1; i < 10; i++) {
        EmaTarget.update(online.store(), target.store(), 0.99);
      }
      // 0.99^10 = 0.904382; sigma approaches softplus(0) = ln 2 at the same rate.
      double sigma = Math.log(2) + (1 - Math.log(2)) * Math.pow(0.99, 10);
      assertAll(target, 0.904382, sigma);
    }
  }

  @Test
  void targetCoversBiasesAndBatchNormStatistics() {
    try (NDManager manager = NDManager.newBaseManager();
        Network target = Network.build(manager, LAYOUT, Network.Heads.TARGET_BYOL,
            LayerFactory.Kind.FROZEN, 1)) {
      assertThat(target.store().all()).extracting(Parameter::role).contains(
          ParameterRole.POSTERIOR_MEAN, ParameterRole.POSTERIOR_SIGMA, ParameterRole.BIAS,
          ParameterRole.RUNNING_MEAN, ParameterRole.RUNNING_VARIANCE, ParameterRole.NORM_SCALE);
      assertThat(target.store().trainable()).isEmpty();
    }
  }

  private static void assertAll(Network target, double expected, double expectedSigma) {
    for (Parameter parameter : target.store().all()) {
      double value = parameter.role() == ParameterRole.POSTERIOR_SIGMA ? expectedSigma : expected;
      for (float actual : parameter.array().toFloatArray()) {
        assertThat((double) actual).as(parameter.name()).isCloseTo(value, within(1e-5));
      }
    }
  }

  private static float[] ones(int count) {
    float[] values = new float[count];
    java.util.Arrays.fill(values, 1f);
    return values;
  }
}
