package org.byov.core.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pruning with one global threshold over all given layers (Blundell et al. 2015, "Weight
 * Uncertainty in Neural Networks", section 5.1, which prunes by the signal-to-noise ratio
 * |mu| / sigma). At sparsity s, the round(s * W) weights with the lowest score are pruned, where
 * W is the total weight count. The score is SNR = |mu| / sigma or the magnitude |mu|. Weights
 * that tie at the threshold are pruned in a fixed order (layer order, then index within the
 * layer) until exactly the requested count is reached, so the count never depends on ties.
 *
 * <p>A pruned weight gets mu = 0 and sigma = 0 exactly ({@link #apply}). A deterministic model,
 * whose layers have no sigma, gets magnitude pruning only.
 */
public final class GlobalPruning {

  /** Sparsities of the evaluation sweep, as fractions of weights pruned. */
  public static final List<Double> DEFAULT_SPARSITIES =
      List.of(0.0, 0.50, 0.75, 0.90, 0.95, 0.98, 0.99);

  private GlobalPruning() {}

  /** Score by which weights are ranked; the lowest are pruned first. */
  public enum Criterion {
    /** Signal-to-noise ratio |mu| / sigma; needs Bayesian layers. */
    SNR,
    /** Magnitude |mu|. */
    MAGNITUDE
  }

  /**
   * Pruning of one layer.
   *
   * @param name layer name
   * @param keep {@code true} for each weight that stays
   * @param pruned number of weights pruned
   * @param prunedFraction pruned / layer size, 0 for an empty layer
   */
  public record LayerMask(String name, boolean[] keep, int pruned, double prunedFraction) {}

  /**
   * One point of a sweep.
   *
   * @param criterion score used
   * @param sparsity requested fraction of weights to prune
   * @param pruned number of weights pruned, round(sparsity * total)
   * @param total number of weights over all layers
   * @param threshold largest pruned score, or {@code null} when nothing is pruned
   * @param layers mask of each layer, in input order
   */
  public record PruningPoint(
      Criterion criterion,
      double sparsity,
      long pruned,
      long total,
      Double threshold,
      List<LayerMask> layers) {

    public PruningPoint {
      layers = List.copyOf(layers);
    }
  }

  /** Returns the criteria that apply: both for Bayesian layers, magnitude only otherwise. */
  public static List<Criterion> applicableCriteria(List<LayerWeights> layers) {
    boolean bayesian = !layers.isEmpty() && layers.stream().allMatch(LayerWeights::isBayesian);
    return bayesian ? List.of(Criterion.SNR, Criterion.MAGNITUDE) : List.of(Criterion.MAGNITUDE);
  }

  /** Prunes at every sparsity of {@link #DEFAULT_SPARSITIES}. */
  public static List<PruningPoint> sweep(List<LayerWeights> layers, Criterion criterion) {
    return sweep(layers, criterion, DEFAULT_SPARSITIES);
  }

  /**
   * Prunes at each sparsity, sorting the scores once.
   *
   * @param sparsities fractions in [0, 1]
   * @throws IllegalArgumentException for SNR on a layer without sigma, or a sigma of 0
   */
  public static List<PruningPoint> sweep(
      List<LayerWeights> layers, Criterion criterion, List<Double> sparsities) {
    double[] scores = scores(layers, criterion);
    double[] sorted = scores.clone();
    Arrays.sort(sorted);
    List<PruningPoint> points = new ArrayList<>();
    for (double sparsity : sparsities) {
      points.add(prune(layers, criterion, sparsity, scores, sorted));
    }
    return points;
  }

  /** Prunes at one sparsity. */
  public static PruningPoint prune(List<LayerWeights> layers, Criterion criterion,
      double sparsity) {
    return sweep(layers, criterion, List.of(sparsity)).get(0);
  }

  /**
   * Returns copies of the layers with pruned weights set to mu = 0 and, for Bayesian layers,
   * sigma = 0.
   */
  public static List<LayerWeights> apply(List<LayerWeights> layers, PruningPoint point) {
    if (point.layers().size() != layers.size()) {
      throw new IllegalArgumentException("pruning point has " + point.layers().size()
          + " layer masks but " + layers.size() + " layers were given");
    }
    List<LayerWeights> pruned = new ArrayList<>(layers.size());
    for (int l = 0; l < layers.size(); l++) {
      LayerWeights layer = layers.get(l);
      boolean[] keep = point.layers().get(l).keep();
      if (keep.length != layer.size()) {
        throw new IllegalArgumentException("mask of layer " + layer.name() + " has "
            + keep.length + " entries but the layer has " + layer.size() + " weights");
      }
      double[] mu = layer.mu().clone();
      double[] sigma = layer.sigma() == null ? null : layer.sigma().clone();
      for (int i = 0; i < keep.length; i++) {
        if (!keep[i]) {
          mu[i] = 0;
          if (sigma != null) {
            sigma[i] = 0;
          }
        }
      }
      pruned.add(new LayerWeights(layer.name(), mu, sigma));
    }
    return pruned;
  }

  private static PruningPoint prune(List<LayerWeights> layers, Criterion criterion,
      double sparsity, double[] scores, double[] sorted) {
    if (!(sparsity >= 0 && sparsity <= 1)) {
      throw new IllegalArgumentException(
          "sparsity is " + sparsity + "; expected a fraction in [0, 1]");
    }
    long total = scores.length;
    int pruneCount = (int) Math.round(sparsity * total);
    Double threshold = pruneCount == 0 ? null : sorted[pruneCount - 1];

    // Every score below the threshold is pruned. Of the scores equal to it, only as many as
    // are needed to reach pruneCount are pruned, taken in global index order.
    int tiesToPrune = 0;
    if (threshold != null) {
      int below = lowerBound(sorted, threshold);
      tiesToPrune = pruneCount - below;
    }

    List<LayerMask> masks = new ArrayList<>(layers.size());
    int offset = 0;
    for (LayerWeights layer : layers) {
      boolean[] keep = new boolean[layer.size()];
      int prunedInLayer = 0;
      for (int i = 0; i < keep.length; i++) {
        double score = scores[offset + i];
        boolean prune = false;
        if (threshold != null) {
          if (score < threshold) {
            prune = true;
          } else if (score == threshold && tiesToPrune > 0) {
            prune = true;
            tiesToPrune--;
          }
        }
        keep[i] = !prune;
        prunedInLayer += prune ? 1 : 0;
      }
      double fraction = keep.length == 0 ? 0 : (double) prunedInLayer / keep.length;
      masks.add(new LayerMask(layer.name(), keep, prunedInLayer, fraction));
      offset += keep.length;
    }
    return new PruningPoint(criterion, sparsity, pruneCount, total, threshold, masks);
  }

  /** Returns the score of every weight, layers concatenated in order. */
  static double[] scores(List<LayerWeights> layers, Criterion criterion) {
    if (layers == null || layers.isEmpty()) {
      throw new IllegalArgumentException("no layers to prune; give at least one layer");
    }
    long total = 0;
    for (LayerWeights layer : layers) {
      total += layer.size();
      if (criterion == Criterion.SNR && !layer.isBayesian()) {
        throw new IllegalArgumentException("layer " + layer.name() + " has no sigma, so SNR "
            + "pruning does not apply; use MAGNITUDE for a deterministic model");
      }
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("too many weights to prune in one array: " + total);
    }
    double[] scores = new double[(int) total];
    int offset = 0;
    for (LayerWeights layer : layers) {
      for (int i = 0; i < layer.size(); i++) {
        scores[offset + i] = criterion == Criterion.SNR
            ? snr(layer, i)
            : Math.abs(layer.mu()[i]);
      }
      offset += layer.size();
    }
    return scores;
  }

  static double snr(LayerWeights layer, int index) {
    double sigma = layer.sigma()[index];
    if (sigma == 0) {
      throw new IllegalArgumentException("layer " + layer.name() + ": sigma[" + index
          + "] is 0, so its SNR is undefined; a posterior sigma is floored above 0");
    }
    return Math.abs(layer.mu()[index]) / sigma;
  }

  /** Returns the number of entries of {@code sorted} that are less than {@code value}. */
  private static int lowerBound(double[] sorted, double value) {
    int low = 0;
    int high = sorted.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (sorted[middle] < value) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }
}
