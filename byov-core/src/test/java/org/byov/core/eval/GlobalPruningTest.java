package org.byov.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GlobalPruningTest {

  /** 200 weights in two layers whose SNR takes only four values, so every cut falls in a tie. */
  private static List<LayerWeights> tiedLayers() {
    double[] mu1 = new double[120];
    double[] sigma1 = new double[120];
    double[] mu2 = new double[80];
    double[] sigma2 = new double[80];
    for (int i = 0; i < 120; i++) {
      mu1[i] = (i % 4 == 0 ? -1 : 1) * (1 + i % 4);
      sigma1[i] = 1;
    }
    for (int i = 0; i < 80; i++) {
      mu2[i] = 2 * (1 + i % 4);
      sigma2[i] = 2;
    }
    return List.of(new LayerWeights("a", mu1, sigma1), new LayerWeights("b", mu2, sigma2));
  }

  @Test
  void countIsExactAtEverySparsityWithTies() {
    // round(s * 200) for s = 0, .5, .75, .9, .95, .98, .99 is 0, 100, 150, 180, 190, 196, 198.
    List<GlobalPruning.PruningPoint> points =
        GlobalPruning.sweep(tiedLayers(), GlobalPruning.Criterion.SNR);
    long[] expected = {0, 100, 150, 180, 190, 196, 198};

    assertThat(points).hasSize(7);
    for (int p = 0; p < points.size(); p++) {
      GlobalPruning.PruningPoint point = points.get(p);
      int prunedInMasks = 0;
      for (GlobalPruning.LayerMask mask : point.layers()) {
        for (boolean keep : mask.keep()) {
          prunedInMasks += keep ? 0 : 1;
        }
      }
      assertThat(point.pruned()).as("sparsity %s", point.sparsity()).isEqualTo(expected[p]);
      assertThat(prunedInMasks).as("sparsity %s", point.sparsity()).isEqualTo(expected[p]);
      assertThat(point.total()).isEqualTo(200);
    }
  }

  @Test
  void tiesArePrunedInLayerOrder() {
    // SNR values are 1, 2, 3, 4 in both layers, 50 weights each. At 50% sparsity (100 weights)
    // the SNR-1 and SNR-2 weights are exactly 100, so the threshold is 2 with no partial tie.
    // At 10% (20 weights) only SNR-1 weights go, and in layer order: all 20 from layer a, which
    // has 30 of them.
    List<LayerWeights> layers = tiedLayers();

    GlobalPruning.PruningPoint half =
        GlobalPruning.prune(layers, GlobalPruning.Criterion.SNR, 0.5);
    GlobalPruning.PruningPoint tenth =
        GlobalPruning.prune(layers, GlobalPruning.Criterion.SNR, 0.1);

    assertThat(half.threshold()).isEqualTo(2.0);
    assertThat(half.layers().get(0).pruned()).isEqualTo(60);
    assertThat(half.layers().get(1).pruned()).isEqualTo(40);
    assertThat(half.layers().get(0).prunedFraction()).isEqualTo(0.5);
    assertThat(tenth.threshold()).isEqualTo(1.0);
    assertThat(tenth.layers().get(0).pruned()).isEqualTo(20);
    assertThat(tenth.layers().get(1).pruned()).isZero();
    assertThat(tenth.layers().get(0).keep()[0]).isFalse();
    assertThat(tenth.layers().get(0).keep()[1]).isTrue();
  }

  @Test
  void snrAndMagnitudeRankDifferently() {
    // Weight 0: |mu| 1, sigma 0.1, SNR 10. Weight 1: |mu| 2, sigma 1, SNR 2. Pruning one of two:
    // magnitude prunes weight 0, SNR prunes weight 1.
    List<LayerWeights> layers =
        List.of(new LayerWeights("l", new double[] {1, -2}, new double[] {0.1, 1}));

    assertThat(GlobalPruning.prune(layers, GlobalPruning.Criterion.MAGNITUDE, 0.5)
            .layers().get(0).keep())
        .containsExactly(false, true);
    assertThat(GlobalPruning.prune(layers, GlobalPruning.Criterion.SNR, 0.5)
            .layers().get(0).keep())
        .containsExactly(true, false);
  }

  @Test
  void appliedPruningZeroesMuAndSigma() {
    List<LayerWeights> layers =
        List.of(new LayerWeights("l", new double[] {0.5, -3, 0.1}, new double[] {1, 1, 1}));
    GlobalPruning.PruningPoint point =
        GlobalPruning.prune(layers, GlobalPruning.Criterion.SNR, 2.0 / 3);

    LayerWeights pruned = GlobalPruning.apply(layers, point).get(0);

    assertThat(pruned.mu()).containsExactly(0.0, -3.0, 0.0);
    assertThat(pruned.sigma()).containsExactly(0.0, 1.0, 0.0);
    assertThat(layers.get(0).mu()).containsExactly(0.5, -3.0, 0.1);
  }

  @Test
  void deterministicModelGetsMagnitudeOnly() {
    List<LayerWeights> layers = List.of(new LayerWeights("l", new double[] {1, 2}, null));

    assertThat(GlobalPruning.applicableCriteria(layers))
        .containsExactly(GlobalPruning.Criterion.MAGNITUDE);
    assertThat(GlobalPruning.applicableCriteria(tiedLayers()))
        .containsExactly(GlobalPruning.Criterion.SNR, GlobalPruning.Criterion.MAGNITUDE);
    assertThatThrownBy(() -> GlobalPruning.sweep(layers, GlobalPruning.Criterion.SNR))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MAGNITUDE");
    assertThat(GlobalPruning.prune(layers, GlobalPruning.Criterion.MAGNITUDE, 0.5)
            .layers().get(0).keep())
        .containsExactly(false, true);
  }

  @Test
  void snrSummaryQuartiles() {
    // SNR values 1..5 (sigma 1): mean 3; linear-interpolation quartiles at positions 1, 2, 3 of
    // the sorted values are 2, 3 and 4.
    SnrSummary summary = SnrSummary.of(
        new LayerWeights("l", new double[] {5, -1, 3, 2, -4}, new double[] {1, 1, 1, 1, 1}));

    assertThat(summary.mean()).isEqualTo(3.0);
    assertThat(summary.lowerQuartile()).isEqualTo(2.0);
    assertThat(summary.median()).isEqualTo(3.0);
    assertThat(summary.upperQuartile()).isEqualTo(4.0);
    assertThat(summary.min()).isEqualTo(1.0);
    assertThat(summary.max()).isEqualTo(5.0);
  }

  @Test
  void quantileInterpolatesBetweenValues() {
    // Sorted [1, 2, 10, 20]: position 0.25 * 3 = 0.75 gives 1 + 0.75 * 1 = 1.75; the median at
    // 1.5 gives 6.
    double[] sorted = {1, 2, 10, 20};

    assertThat(SnrSummary.quantile(sorted, 0.25)).isEqualTo(1.75);
    assertThat(SnrSummary.quantile(sorted, 0.5)).isEqualTo(6.0);
  }
}
