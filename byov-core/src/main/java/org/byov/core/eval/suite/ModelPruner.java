package org.byov.core.eval.suite;

import java.util.ArrayList;
import java.util.List;
import org.byov.core.eval.GlobalPruning;
import org.byov.core.eval.LayerWeights;
import org.byov.core.nn.BayesianLayer;
import org.byov.core.nn.Network;
import org.byov.core.nn.Parameter;
import org.byov.core.nn.ParameterRole;

/**
 * Applies global pruning masks to a network's parameters in place and restores the original
 * values. A Bayesian model is pruned over all its Bayesian layers (mu and sigma); a deterministic
 * one over the weight of its encoder's last layer, the fully connected embedding layer that the
 * default Bayesian scope {@code last-1} would make Bayesian, so that both compare like with like.
 */
final class ModelPruner {

  private final List<Parameter> means = new ArrayList<>();
  private final List<Parameter> sigmas = new ArrayList<>();
  private final List<LayerWeights> original = new ArrayList<>();
  private final boolean bayesian;

  ModelPruner(Network network) {
    List<BayesianLayer> layers = network.bayesianLayers();
    bayesian = !layers.isEmpty();
    if (bayesian) {
      for (BayesianLayer layer : layers) {
        if (layer.sigma() == null) {
          throw new IllegalArgumentException("Layer " + layer.name() + " stores rho, not sigma;"
              + " build the evaluated network with LayerFactory.Kind.FROZEN");
        }
        means.add(layer.mean());
        sigmas.add(layer.sigma());
        original.add(new LayerWeights(layer.name(), toDouble(layer.mean()),
            toDouble(layer.sigma())));
      }
    } else {
      Parameter last = lastEncoderWeight(network);
      means.add(last);
      sigmas.add(null);
      original.add(new LayerWeights(last.name(), toDouble(last), null));
    }
  }

  /** Returns whether the pruned layers are Bayesian (and so lie in the tail or classifier). */
  boolean isBayesian() {
    return bayesian;
  }

  /** Returns the pruned layers' original weights. */
  List<LayerWeights> layers() {
    return original;
  }

  /** Returns SNR and magnitude for a Bayesian model, magnitude only for a deterministic one. */
  List<GlobalPruning.Criterion> criteria() {
    return GlobalPruning.applicableCriteria(original);
  }

  /** Writes the pruned weights of {@code point} into the network. */
  void apply(GlobalPruning.PruningPoint point) {
    write(GlobalPruning.apply(original, point));
  }

  /** Writes the original weights back. */
  void restore() {
    write(original);
  }

  private void write(List<LayerWeights> layers) {
    for (int i = 0; i < layers.size(); i++) {
      means.get(i).assign(toFloat(layers.get(i).mu()));
      if (sigmas.get(i) != null) {
        sigmas.get(i).assign(toFloat(layers.get(i).sigma()));
      }
    }
  }

  private static Parameter lastEncoderWeight(Network network) {
    Parameter last = null;
    for (Parameter parameter : network.store().all()) {
      if (parameter.role() == ParameterRole.WEIGHT && parameter.name().startsWith("encoder.")) {
        last = parameter;
      }
    }
    if (last == null) {
      throw new IllegalArgumentException("The network has no encoder weight to prune");
    }
    return last;
  }

  private static double[] toDouble(Parameter parameter) {
    float[] values = parameter.array().toFloatArray();
    double[] result = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = values[i];
    }
    return result;
  }

  private static float[] toFloat(double[] values) {
    float[] result = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = (float) values[i];
    }
    return result;
  }
}
