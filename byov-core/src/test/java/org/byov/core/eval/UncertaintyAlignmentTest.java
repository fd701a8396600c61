package org.byov.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class UncertaintyAlignmentTest {

  @Test
  void averageRanksShareTies() {
    assertThat(UncertaintyAlignment.averageRanks(new double[] {10, 20, 20, 5, 20}))
        .containsExactly(2, 4, 4, 1, 4);
  }

  @Test
  void spearmanWithTiesMatchesHandCalculation() {
    // x = [1, 2, 2, 3] has ranks [1, 2.5, 2.5, 4]; y = [1, 3, 2, 4] has ranks [1, 3, 2, 4].
    // Deviations from the mean rank 2.5: [-1.5, 0, 0, 1.5] and [-1.5, 0.5, -0.5, 1.5];
    // covariance sum 4.5, squares 4.5 and 5, so rho = 4.5 / sqrt(22.5) = sqrt(0.9) = 0.9486833.
    double[] x = {1, 2, 2, 3};
    double[] y = {1, 3, 2, 4};

    assertThat(UncertaintyAlignment.spearman(x, y).value())
        .isCloseTo(Math.sqrt(0.9), within(1e-15));
  }

  @Test
  void pearsonOfHandExample() {
    // x = [1, 2, 3], y = [2, 4, 5]: deviations [-1, 0, 1] and [-5/3, 1/3, 4/3]; covariance sum 3,
    // squares 2 and 42/9, so r = 3 / sqrt(2 * 42 / 9) = 0.9819805.
    assertThat(UncertaintyAlignment.pearson(new double[] {1, 2, 3}, new double[] {2, 4, 5})
            .value())
        .isCloseTo(3 / Math.sqrt(2 * 42.0 / 9), within(1e-15));
  }

  @Test
  void constantInputHasNoCorrelation() {
    assertThat(UncertaintyAlignment.pearson(new double[] {1, 1, 1}, new double[] {1, 2, 3})
            .reason())
        .contains("constant");
    assertThat(UncertaintyAlignment.spearman(new double[] {1}, new double[] {2}).reason())
        .contains("at least two");
  }

  @Test
  void ratioFitSkipsZeroBaseline() {
    // Ratios of the pairs with a non-zero baseline: 0.2 / 0.1 = 2 and 0.4 / 0.1 = 4; mean 3 and
    // maximum-likelihood std sqrt(((2 - 3)^2 + (4 - 3)^2) / 2) = 1. The third pair is left out.
    UncertaintyAlignment.Alignment alignment = UncertaintyAlignment.compare(
        new double[] {0.2, 0.4, 0.3}, new double[] {0.1, 0.1, 0.0});

    assertThat(alignment.ratioMean().value()).isCloseTo(3.0, within(1e-12));
    assertThat(alignment.ratioStd().value()).isCloseTo(1.0, within(1e-12));
    assertThat(alignment.pairs()).isEqualTo(3);
    assertThat(alignment.zeroBaselinePairs()).isEqualTo(1);
  }
}
