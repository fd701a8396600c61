package org.byov.core.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Creates layers and registers their parameters in one {@link ParameterStore}. Backbones build
 * through this class only, so that the same backbone code builds the online network (trainable
 * rho), the EMA target and a loaded model (sigma stored directly).
 */
public final class LayerFactory {

  /** How Bayesian layers store their scale. */
  public enum Kind {
    /** Trainable mu and rho (the online network). */
    ONLINE,
    /** mu and sigma held as plain arrays (the EMA target, a loaded model). */
    FROZEN
  }

  private final ParameterStore store;
  private final Kind kind;
  private final Initializer init;
  private final List<BayesianLayer> bayesianLayers = new ArrayList<>();

  public LayerFactory(ParameterStore store, Kind kind, Initializer init) {
    this.store = store;
    this.kind = kind;
    this.init = init;
  }

  /** A fully connected layer {@code in -> out} with bias; Bayesian weights if {@code bayesian}. */
  public Layer linear(String name, int in, int out, boolean bayesian) {
    if (!bayesian) {
      return new LinearLayer(store, init, name, in, out);
    }
    BayesianLinear layer = new BayesianLinear(store, kind, init, name, in, out,
        bayesianLayers.size());
    bayesianLayers.add(layer);
    return layer;
  }

  /** A square-kernel convolution without bias; Bayesian kernel if {@code bayesian}. */
  public Layer conv2d(String name, int in, int out, int kernel, int stride, boolean bayesian) {
    if (!bayesian) {
      return new Conv2dLayer(store, init, name, in, out, kernel, stride);
    }
    BayesianConv2d layer = new BayesianConv2d(store, kind, init, name, in, out, kernel, stride,
        bayesianLayers.size());
    bayesianLayers.add(layer);
    return layer;
  }

  public Layer batchNorm(String name, int channels) {
    return new BatchNormLayer(store, name, channels);
  }

  public Layer relu() {
    return new ReluLayer();
  }

  public Layer globalAveragePool() {
    return new GlobalAveragePoolLayer();
  }

  /** The Bayesian layers created so far, in creation order (which is their noise stream index). */
  public List<BayesianLayer> bayesianLayers() {
    return Collections.unmodifiableList(new ArrayList<>(bayesianLayers));
  }

  public ParameterStore store() {
    return store;
  }
}
