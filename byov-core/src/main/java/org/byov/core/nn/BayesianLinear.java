package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import org.byov.core.bayes.Posterior;

/**
 * Fully connected layer with Gaussian weights W ~ N(mu, sigma^2), W of shape {@code [out, in]},
 * sampled by the reparameterisation trick W = mu + sigma * epsilon. With S samples the input
 * {@code [S * B, ..., in]} is viewed as {@code [S, B', in]} and multiplied by the S weight samples
 * {@code [S, in, out]} in one broadcast matMul, so each sample sees its own weights.
 */
public final class BayesianLinear implements BayesianLayer {

  private final String name;
  private final BayesianWeights weights;
  private final Parameter bias;
  private final int out;

  BayesianLinear(ParameterStore store, LayerFactory.Kind kind, Initializer init, String name,
      int in, int out, int stream) {
    this.name = name;
    this.out = out;
    this.weights = new BayesianWeights(store, kind, name, new Shape(out, in),
        init.heNormal(out * in, in), stream);
    this.bias = store.add(name + ".bias", ParameterRole.BIAS, new Shape(out),
        Initializer.constant(out, 0f));
  }

  @Override
  public NDArray forward(NDArray input, ForwardPass pass) {
    if (pass.weights() == ForwardPass.WeightMode.MEAN) {
      return Linear.linear(input, weights.mean.array(), bias.array()).singletonOrThrow();
    }
    NDArray sampled = weights.sample(pass, input.getManager());
    int samples = pass.samples();
    if (samples == 1) {
      return Linear.linear(input, sampled.squeeze(0), bias.array()).singletonOrThrow();
    }

    Shape inputShape = input.getShape();
    long in = inputShape.get(inputShape.dimension() - 1);
    NDArray grouped = input.reshape(samples, -1, in);
    NDArray output = grouped.matMul(sampled.transpose(0, 2, 1)).add(bias.array());
    long[] outputShape = inputShape.getShape().clone();
    outputShape[outputShape.length - 1] = out;
    return output.reshape(outputShape);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Posterior posterior() {
    return weights.posterior();
  }

  @Override
  public Parameter mean() {
    return weights.mean;
  }

  @Override
  public Parameter rho() {
    return weights.rho;
  }

  @Override
  public Parameter sigma() {
    return weights.sigma;
  }

  @Override
  public long weightCount() {
    return weights.shape.size();
  }
}
