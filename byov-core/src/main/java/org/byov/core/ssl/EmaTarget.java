package org.byov.core.ssl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import org.byov.core.bayes.Softplus;
import org.byov.core.nn.Parameter;
import org.byov.core.nn.ParameterRole;
import org.byov.core.nn.ParameterStore;

/**
 * The target network's exponential moving average of the online network:
 * target = tau * target + (1 - tau) * online, for every target parameter (posterior means,
 * weights, biases, BatchNorm scale, shift and running statistics). A target sigma follows
 * softplus of the online rho, so the teacher averages sigma, never rho. Parameters that only the
 * online network has (the predictor) are skipped.
 */
public final class EmaTarget {

  private EmaTarget() {}

  /** Copies the online values into the target (tau = 0); used when the target is created. */
  public static void copy(ParameterStore online, ParameterStore target) {
    update(online, target, 0.0);
  }

  /** Moves every target parameter towards its online counterpart with rate {@code tau}. */
  public static void update(ParameterStore online, ParameterStore target, double tau) {
    try (NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      for (Parameter parameter : target.all()) {
        NDArray source = onlineValue(online, parameter);
        parameter.array().muli(tau).addi(source.mul(1.0 - tau));
      }
    }
  }

  private static NDArray onlineValue(ParameterStore online, Parameter targetParameter) {
    String name = targetParameter.name();
    if (targetParameter.role() == ParameterRole.POSTERIOR_SIGMA) {
      String base = name.substring(0, name.length() - ".sigma".length());
      if (online.contains(base + ".rho")) {
        return Softplus.sigma(online.get(base + ".rho").array().stopGradient());
      }
      return online.get(name).array().stopGradient();
    }
    return online.get(name).array().stopGradient();
  }
}
