package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.byov.core.bayes.Posterior;

/** The mu and rho (or sigma) parameters of one Bayesian weight tensor, and their noise stream. */
final class BayesianWeights {

  final Parameter mean;
  final Parameter rho;
  final Parameter sigma;
  final int stream;
  final Shape shape;
  /** Reused for the noise, because a new direct buffer per forward pass waits for a GC. */
  private final ArrayStaging staging = new ArrayStaging();

  BayesianWeights(ParameterStore store, LayerFactory.Kind kind, String name, Shape shape,
      float[] initialMean, int stream) {
    this.shape = shape;
    this.stream = stream;
    int count = (int) shape.size();
    this.mean = store.add(name + ".mu", ParameterRole.POSTERIOR_MEAN, shape, initialMean);
    if (kind == LayerFactory.Kind.ONLINE) {
      this.rho = store.add(name + ".rho", ParameterRole.POSTERIOR_RHO, shape,
          Initializer.constant(count, Initializer.INITIAL_RHO));
      this.sigma = null;
    } else {
      this.rho = null;
      this.sigma = store.add(name + ".sigma", ParameterRole.POSTERIOR_SIGMA, shape,
          Initializer.constant(count, (float) org.byov.core.bayes.Softplus.sigma(
              Initializer.INITIAL_RHO)));
    }
  }

  Posterior posterior() {
    return rho != null
        ? Posterior.ofRho(mean.array(), rho.array())
        : Posterior.ofSigma(mean.array(), sigma.array());
  }

  /** Returns S weight samples {@code [S, ...shape]} drawn with the pass's noise, on {@code manager}. */
  NDArray sample(ForwardPass pass, NDManager manager) {
    int samples = pass.samples();
    int count = (int) shape.size();
    float[] noise = new float[samples * count];
    for (int s = 0; s < samples; s++) {
      System.arraycopy(pass.noise().gaussian(stream, s, count), 0, noise, s * count, count);
    }
    NDArray epsilon = staging.create(manager, noise, new Shape(samples).addAll(shape));
    return posterior().sample(epsilon);
  }
}
