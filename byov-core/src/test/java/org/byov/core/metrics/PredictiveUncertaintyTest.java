package org.byov.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PredictiveUncertaintyTest {

  @Test
  void identicalSamplesHaveNoMutualInformation() {
    double[][] sample = {{0.1, 0.2, 0.7}, {0.3, 0.3, 0.4}};
    double[][][] samples = {sample, sample, sample};

    PredictiveUncertainty.Decomposition result = PredictiveUncertainty.decompose(samples);

    for (int i = 0; i < 2; i++) {
      assertThat(result.mutualInformation()[i]).isCloseTo(0.0, within(1e-15));
      assertThat(result.predictiveEntropy()[i])
          .isCloseTo(result.expectedEntropy()[i], within(1e-15));
    }
  }

  @Test
  void entropyOfHandExample() {
    // H([0.5, 0.25, 0.25]) = 0.5 ln 2 + 2 * 0.25 ln 4 = 1.5 ln 2 = 1.0397208.
    assertThat(PredictiveUncertainty.entropy(new double[] {0.5, 0.25, 0.25}))
        .isCloseTo(1.5 * Math.log(2), within(1e-15));
    assertThat(PredictiveUncertainty.entropy(new double[] {1, 0, 0})).isEqualTo(0.0);
  }

  @Test
  void disagreeingSamplesSplitIntoParts() {
    // Two confident samples that disagree: mean [0.5, 0.5] has entropy ln 2, each sample has
    // entropy 0, so the mutual information is ln 2 and the expected entropy 0.
    double[][][] samples = {{{1, 0}}, {{0, 1}}};

    PredictiveUncertainty.Decomposition result = PredictiveUncertainty.decompose(samples);

    assertThat(result.meanProbabilities()[0]).containsExactly(0.5, 0.5);
    assertThat(result.predictiveEntropy()[0]).isCloseTo(Math.log(2), within(1e-15));
    assertThat(result.expectedEntropy()[0]).isEqualTo(0.0);
    assertThat(result.mutualInformation()[0]).isCloseTo(Math.log(2), within(1e-15));
  }

  @Test
  void maxProbabilityIsOrientedAsUncertainty() {
    assertThat(PredictiveUncertainty.maxProbabilityUncertainty(
            new double[][] {{0.9, 0.1}, {0.4, 0.6}}))
        .containsExactly(new double[] {0.1, 0.4}, within(1e-15));
  }

  @Test
  void invalidSampleRowNamesSampleAndRow() {
    double[][][] samples = {{{0.5, 0.5}, {0.5, 0.5}}, {{0.5, 0.5}, {0.9, 0.9}}};

    assertThatThrownBy(() -> PredictiveUncertainty.decompose(samples))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("samples[1] row 1");
  }

  @Test
  void embeddingVarianceDividesBySampleCount() {
    // Dimension 0: values 1 and 3, mean 2, variance ((1)^2 + (1)^2) / 2 = 1. Dimension 1:
    // constant, variance 0. Total 1.
    EmbeddingVariance variance = EmbeddingVariance.of(new float[][] {{1, 5}, {3, 5}});

    assertThat(variance.perDimension()).containsExactly(1.0, 0.0);
    assertThat(variance.total()).isEqualTo(1.0);
  }

  @Test
  void embeddingVarianceOfBatchIsPerExample() {
    // [S=2][N=2][D=1]: example 0 has values 0 and 2 (variance 1), example 1 has 4 and 4 (0).
    float[][][] samples = {{{0}, {4}}, {{2}, {4}}};

    assertThat(EmbeddingVariance.totalVariances(samples)).containsExactly(1.0, 0.0);
  }

  @Test
  void embeddingVarianceRejectsNaN() {
    assertThatThrownBy(() -> EmbeddingVariance.of(new float[][] {{1, Float.NaN}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 1");
  }
}
