package org.byov.core.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.byov.core.bayes.Posterior;

/**
 * 2-D convolution without bias whose kernel is Gaussian, W ~ N(mu, sigma^2) of shape
 * {@code [out, in, k, k]}, padding {@code k / 2}. With S samples the input {@code [S * B, in, H, W]}
 * is rearranged to {@code [B, S * in, H, W]} and convolved once with the stacked samples
 * {@code [S * out, in, k, k]} as a grouped convolution (S groups), so each sample sees its own
 * kernel, and the output is rearranged back to {@code [S * B, out, H', W']}.
 */
public final class BayesianConv2d implements BayesianLayer {

  private final String name;
  private final BayesianWeights weights;
  private final int in;
  private final int out;
  private final int kernel;
  private final Shape stride;
  private final Shape padding;

  BayesianConv2d(ParameterStore store, LayerFactory.Kind kind, Initializer init, String name,
      int in, int out, int kernel, int stride, int stream) {
    this.name = name;
    this.in = in;
    this.out = out;
    this.kernel = kernel;
    int fanIn = in * kernel * kernel;
    this.weights = new BayesianWeights(store, kind, name, new Shape(out, in, kernel, kernel),
        init.heNormal(out * fanIn, fanIn), stream);
    this.stride = new Shape(stride, stride);
    this.padding = new Shape(kernel / 2, kernel / 2);
  }

  @Override
  public NDArray forward(NDArray input, ForwardPass pass) {
    if (pass.weights() == ForwardPass.WeightMode.MEAN) {
      return convolve(input, weights.mean.array(), 1);
    }
    NDArray sampled = weights.sample(pass, input.getManager());
    int samples = pass.samples();
    if (samples == 1) {
      return convolve(input, sampled.squeeze(0), 1);
    }

    Shape shape = input.getShape();
    long batch = shape.get(0) / samples;
    long height = shape.get(2);
    long width = shape.get(3);
    NDArray grouped = input.reshape(samples, batch, in, height, width)
        .transpose(1, 0, 2, 3, 4)
        .reshape(batch, (long) samples * in, height, width);
    NDArray kernels = sampled.reshape((long) samples * out, in, kernel, kernel);
    NDArray output = convolve(grouped, kernels, samples);
    Shape outputShape = output.getShape();
    return output.reshape(batch, samples, out, outputShape.get(2), outputShape.get(3))
        .transpose(1, 0, 2, 3, 4)
        .reshape((long) samples * batch, out, outputShape.get(2), outputShape.get(3));
  }

  private NDArray convolve(NDArray input, NDArray kernels, int groups) {
    return Conv2d.conv2d(input, kernels, null, stride, padding, new Shape(1, 1), groups)
        .singletonOrThrow();
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
