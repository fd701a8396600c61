package org.byov.core.nn;

import ai.djl.ndarray.NDArray;

/**
 * The basic residual block of ResNet-18: {@code relu(bn2(conv2(relu(bn1(conv1(x))))) +
 * shortcut(x))} with two 3x3 convolutions. The shortcut is the identity when the block keeps
 * channels and resolution, else a 1x1 convolution with the block's stride followed by BatchNorm.
 * Input {@code [N, in, H, W]}, output {@code [N, out, H / stride, W / stride]} (rounded up).
 */
final class ResidualBlock implements Layer {

  private final Sequential residual;
  private final Sequential shortcut;
  private final Layer relu;

  ResidualBlock(LayerFactory factory, String name, int in, int out, int stride,
      boolean bayesian) {
    this.residual = new Sequential(java.util.List.of(
        factory.conv2d(name + ".conv1", in, out, 3, stride, bayesian),
        factory.batchNorm(name + ".conv1.norm", out),
        factory.relu(),
        factory.conv2d(name + ".conv2", out, out, 3, 1, bayesian),
        factory.batchNorm(name + ".conv2.norm", out)));
    if (stride != 1 || in != out) {
      this.shortcut = new Sequential(java.util.List.of(
          factory.conv2d(name + ".shortcut", in, out, 1, stride, bayesian),
          factory.batchNorm(name + ".shortcut.norm", out)));
    } else {
      this.shortcut = null;
    }
    this.relu = factory.relu();
  }

  @Override
  public NDArray forward(NDArray input, ForwardPass pass) {
    NDArray branch = residual.forward(input, pass);
    NDArray identity = shortcut == null ? input : shortcut.forward(input, pass);
    return relu.forward(branch.add(identity), pass);
  }
}
