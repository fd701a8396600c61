package org.byov.core.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.byov.core.nn.Parameter;
import org.byov.core.nn.ParameterStore;

/**
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", 2019) with its state in
 * the open, so that checkpoints can save it, and a decay mask by parameter role: weights and
 * posterior means decay, rho, biases and BatchNorm parameters never do. Per step t:
 * p -= lr * wd * p (masked); m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps). This matches PyTorch's AdamW.
 */
public final class AdamW implements AutoCloseable {

  public static final double BETA1 = 0.9;
  public static final double BETA2 = 0.999;
  public static final double EPSILON = 1e-8;

  private final List<Parameter> parameters;
  private final NDManager manager;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private final double weightDecay;
  private long stepCount;

  /** Creates zeroed state for every trainable parameter of {@code store}. */
  public AdamW(ParameterStore store, double weightDecay) {
    this.parameters = new ArrayList<>(store.trainable());
    this.manager = store.manager().newSubManager();
    this.weightDecay = weightDecay;
    for (Parameter parameter : parameters) {
      firstMoments.put(parameter.name(), manager.zeros(parameter.array().getShape()));
      secondMoments.put(parameter.name(), manager.zeros(parameter.array().getShape()));
    }
  }

  /**
   * Applies one update with learning rate {@code learningRate} from the gradients that the last
   * backward pass left on the parameters, then zeroes those gradients. Call outside a
   * GradientCollector.
   */
  public void step(double learningRate) {
    stepCount++;
    double correction1 = 1 - Math.pow(BETA1, stepCount);
    double correction2 = 1 - Math.pow(BETA2, stepCount);
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Parameter parameter : parameters) {
        update(parameter, learningRate, correction1, correction2);
      }
    }
  }

  private void update(Parameter parameter, double learningRate, double correction1,
      double correction2) {
    NDArray value = parameter.array();
    NDArray gradient = value.getGradient();
    NDArray m = firstMoments.get(parameter.name());
    NDArray v = secondMoments.get(parameter.name());

    if (parameter.role().decayed() && weightDecay > 0) {
      value.muli(1 - learningRate * weightDecay);
    }
    m.muli(BETA1).addi(gradient.mul(1 - BETA1));
    v.muli(BETA2).addi(gradient.square().mul(1 - BETA2));

    NDArray denominator = v.div(correction2).sqrt().add(EPSILON);
    value.subi(m.div(denominator).mul(learningRate / correction1));
    gradient.muli(0);
  }

  /** Returns the number of updates applied so far (t in the bias corrections). */
  public long stepCount() {
    return stepCount;
  }

  /** Returns the state arrays by name, {@code m/<parameter>} and {@code v/<parameter>}. */
  public Map<String, NDArray> state() {
    Map<String, NDArray> state = new LinkedHashMap<>();
    firstMoments.forEach((name, array) -> state.put("m/" + name, array));
    secondMoments.forEach((name, array) -> state.put("v/" + name, array));
    return state;
  }

  /** Restores the step count and moments; {@code values} maps the names of {@link #state()}. */
  public void restore(long steps, Map<String, float[]> values) {
    for (Map.Entry<String, NDArray> entry : state().entrySet()) {
      float[] stored = values.get(entry.getKey());
      if (stored == null || stored.length != entry.getValue().size()) {
        throw new IllegalArgumentException("Optimiser state " + entry.getKey()
            + " is missing or has the wrong size in the checkpoint");
      }
      entry.getValue().set(stored);
    }
    this.stepCount = steps;
  }

  @Override
  public void close() {
    manager.close();
  }
}
