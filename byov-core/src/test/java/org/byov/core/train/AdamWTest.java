package org.byov.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.byov.core.nn.Parameter;
import org.byov.core.nn.ParameterRole;
import org.byov.core.nn.ParameterStore;
import org.junit.jupiter.api.Test;

class AdamWTest {

  @Test
  void firstStepMatchesHandCalculation() {
    try (NDManager manager = NDManager.newBaseManager();
        ParameterStore store = new ParameterStore(manager, true);
        AdamW adam = new AdamW(addParameters(store), 0.1)) {
      Parameter weight = store.get("w");
      Parameter bias = store.get("b");
      Parameter rho = store.get("r");

      backward(store);
      adam.step(0.1);

      // Gradient 0.5 everywhere. m = 0.05, v = 0.00025; bias-corrected m / sqrt(v) = 1.
      // Decayed weight: 1 * (1 - 0.1 * 0.1) - 0.1 * 1 = 0.89. Bias and rho: 1 - 0.1 = 0.9.
      assertThat((double) weight.array().getFloat(0)).isCloseTo(0.89, within(1e-6));
      assertThat((double) bias.array().getFloat(0)).isCloseTo(0.9, within(1e-6));
      assertThat((double) rho.array().getFloat(0)).isCloseTo(0.9, within(1e-6));
      assertThat(adam.stepCount()).isEqualTo(1);
      assertThat(weight.array().getGradient().getFloat(0)).isEqualTo(0f);
    }
  }

  @Test
  void restoredStateContinuesIdentically() {
    try (NDManager manager = NDManager.newBaseManager();
        ParameterStore first = new ParameterStore(manager, true);
        ParameterStore second = new ParameterStore(manager, true);
        AdamW adamFirst = new AdamW(addParameters(first), 0.05);
        AdamW adamSecond = new AdamW(addParameters(second), 0.05)) {
      backward(first);
      adamFirst.step(0.1);

      Map<String, float[]> state = new java.util.LinkedHashMap<>();
      adamFirst.state().forEach((name, array) -> state.put(name, array.toFloatArray()));
      for (Parameter parameter : first.all()) {
        second.get(parameter.name()).assign(parameter.array().toFloatArray());
      }
      adamSecond.restore(adamFirst.stepCount(), state);

      backward(first);
      adamFirst.step(0.1);
      backward(second);
      adamSecond.step(0.1);

      for (Parameter parameter : first.all()) {
        assertThat(second.get(parameter.name()).array().toFloatArray())
            .containsExactly(parameter.array().toFloatArray());
      }
    }
  }

  private static ParameterStore addParameters(ParameterStore store) {
    store.add("w", ParameterRole.WEIGHT, new Shape(2), new float[] {1f, 1f});
    store.add("b", ParameterRole.BIAS, new Shape(2), new float[] {1f, 1f});
    store.add("r", ParameterRole.POSTERIOR_RHO, new Shape(2), new float[] {1f, 1f});
    return store;
  }

  private static void backward(ParameterStore store) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      var loss = store.get("w").array().sum().add(store.get("b").array().sum())
          .add(store.get("r").array().sum()).mul(0.5f);
      collector.backward(loss);
    }
  }
}
