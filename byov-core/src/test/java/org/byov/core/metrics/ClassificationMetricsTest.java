package org.byov.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

  @Test
  void brierOfOneBinaryRow() {
    // (0.8 - 1)^2 + (0.2 - 0)^2 = 0.08.
    assertThat(ClassificationMetrics.brier(new double[][] {{0.8, 0.2}}, new int[] {0}).value())
        .isCloseTo(0.08, within(1e-12));
  }

  @Test
  void brierOfUniformThreeClasses() {
    // (2/3)^2 + 2 * (1/3)^2 = 6/9.
    double third = 1.0 / 3;
    assertThat(ClassificationMetrics.brier(
            new double[][] {{third, third, third}}, new int[] {0}).value())
        .isCloseTo(2.0 / 3, within(1e-12));
  }

  @Test
  void brierAndNllOfFourByThreeExample() {
    // Hand calculation. Brier rows: 0.335, 1.505, 0.6734, 0.0098, mean 0.6308.
    // NLL: -ln 0.55 - ln 0.05 - ln 0.33 - ln 0.92 = 4.78563, mean 1.19641.
    double[][] p = {{.55, .35, .10}, {.20, .75, .05}, {.34, .33, .33}, {.05, .03, .92}};
    int[] y = {0, 2, 1, 2};

    assertThat(ClassificationMetrics.brier(p, y).value()).isCloseTo(0.6308, within(1e-12));
    assertThat(ClassificationMetrics.negativeLogLikelihood(p, y).value())
        .isCloseTo(1.1964, within(1e-4));
  }

  @Test
  void nllClampsZeroProbability() {
    // -ln(1e-12) = 27.631021.
    assertThat(ClassificationMetrics.negativeLogLikelihood(
            new double[][] {{1, 0}}, new int[] {1}).value())
        .isCloseTo(27.631021, within(1e-6));
  }

  @Test
  void accuracyTakesFirstClassOnTie() {
    double[][] p = {{0.5, 0.5}, {0.5, 0.5}, {0.2, 0.8}};
    int[] y = {0, 1, 1};

    assertThat(ClassificationMetrics.accuracy(p, y).value()).isCloseTo(2.0 / 3, within(1e-12));
  }

  @Test
  void emptyInputHasNoValue() {
    assertThat(ClassificationMetrics.brier(new double[0][], new int[0]).isDefined()).isFalse();
    assertThat(ClassificationMetrics.negativeLogLikelihood(new double[0][], new int[0]).reason())
        .contains("no examples");
    assertThat(ClassificationMetrics.accuracy(new double[0][], new int[0]).reason())
        .contains("no examples");
  }
}
