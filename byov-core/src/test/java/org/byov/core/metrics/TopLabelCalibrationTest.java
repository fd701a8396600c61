package org.byov.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TopLabelCalibrationTest {

  @Test
  void confidenceOneFallsInLastOfFifteenBins() {
    // Hand calculation: confidences 0.95 (correct) and 1.0 (wrong) both fall in bin 14, which
    // covers (14/15, 1]; mean confidence 0.975, accuracy 0.5, so ECE = |0.5 - 0.975| = 0.475.
    double[][] probabilities = {{0.05, 0.95}, {0, 1}};
    int[] labels = {1, 0};

    ReliabilityDiagram diagram = TopLabelCalibration.reliability(probabilities, labels);

    assertThat(diagram.bins()).hasSize(15);
    assertThat(diagram.bins().stream().mapToInt(ReliabilityBin::count).sum()).isEqualTo(2);
    assertThat(diagram.bins().get(14).count()).isEqualTo(2);
    assertThat(diagram.bins().get(14).meanConfidence()).isCloseTo(0.975, within(1e-12));
    assertThat(diagram.bins().get(14).accuracy()).isEqualTo(0.5);
    assertThat(diagram.expectedCalibrationError().value()).isCloseTo(0.475, within(1e-12));
    assertThat(diagram.maximumCalibrationError().value()).isCloseTo(0.475, within(1e-12));
  }

  @Test
  void emptyBinsHaveNoConfidenceOrAccuracy() {
    ReliabilityDiagram diagram =
        TopLabelCalibration.reliability(new double[][] {{0.05, 0.95}}, new int[] {1});

    assertThat(diagram.bins().get(0).count()).isZero();
    assertThat(diagram.bins().get(0).meanConfidence()).isNull();
    assertThat(diagram.bins().get(0).accuracy()).isNull();
  }

  @Test
  void perfectPredictionsHaveZeroErrors() {
    // Positive-class p = [0, 1, 0, 1] with y = [0, 1, 0, 1] as two-class rows: every example is
    // predicted with confidence 1 and correctly, so every gap is 0.
    double[][] probabilities = {{1, 0}, {0, 1}, {1, 0}, {0, 1}};
    int[] labels = {0, 1, 0, 1};

    assertThat(TopLabelCalibration.expectedCalibrationError(probabilities, labels).value())
        .isEqualTo(0.0);
    assertThat(TopLabelCalibration.maximumCalibrationError(probabilities, labels).value())
        .isEqualTo(0.0);
    assertThat(ClassificationMetrics.brier(probabilities, labels).value()).isEqualTo(0.0);
    assertThat(ClassificationMetrics.negativeLogLikelihood(probabilities, labels).value())
        .isLessThanOrEqualTo(1e-6);
    assertThat(PositiveClassReliability.calibrationError(
            new double[] {0, 1, 0, 1}, labels, 15).value())
        .isEqualTo(0.0);
  }

  @Test
  void topLabelDiffersFromPositiveClass() {
    // p(class 1) = [0.2, 0.8], y = [1, 1], 10 bins. Top label: both examples have confidence 0.8
    // in bin (0.7, 0.8], one correct, so ECE = |0.5 - 0.8| = 0.30. Positive class: p = 0.2 with
    // frequency 1 and p = 0.8 with frequency 1, so 0.5 * 0.8 + 0.5 * 0.2 = 0.50.
    double[][] probabilities = {{0.8, 0.2}, {0.2, 0.8}};
    int[] labels = {1, 1};

    assertThat(TopLabelCalibration.expectedCalibrationError(probabilities, labels, 10).value())
        .isCloseTo(0.30, within(1e-12));
    assertThat(PositiveClassReliability.calibrationError(new double[] {0.2, 0.8}, labels, 10)
            .value())
        .isCloseTo(0.50, within(1e-12));
  }

  @Test
  void maximumErrorIsLargestBinGap() {
    // Hand calculation, 2 bins: bin 0 holds confidence 0.5 (wrong, gap 0.5); bin 1 holds 0.9
    // (correct, gap 0.1) and 0.7 (correct, gap 0.3), mean 0.8 and accuracy 1, gap 0.2.
    // ECE = 1/3 * 0.5 + 2/3 * 0.2 = 0.3; MCE = 0.5.
    double[][] probabilities = {{0.5, 0.5}, {0.1, 0.9}, {0.7, 0.3}};
    int[] labels = {1, 1, 0};

    ReliabilityDiagram diagram = TopLabelCalibration.reliability(probabilities, labels, 2);

    assertThat(diagram.expectedCalibrationError().value()).isCloseTo(0.3, within(1e-12));
    assertThat(diagram.maximumCalibrationError().value()).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void binEdgeBelongsToLowerBin() {
    // 0.2 is the upper edge of bin (2/15, 3/15] and 1/15 of bin 0, so both land in the lower bin.
    assertThat(ReliabilityDiagram.binIndex(0.2, 15)).isEqualTo(2);
    assertThat(ReliabilityDiagram.binIndex(1.0 / 15, 15)).isEqualTo(0);
    assertThat(ReliabilityDiagram.binIndex(Math.nextUp(0.2), 15)).isEqualTo(3);
    assertThat(ReliabilityDiagram.binIndex(0.0, 15)).isEqualTo(0);
    assertThat(ReliabilityDiagram.binIndex(1.0, 15)).isEqualTo(14);
  }

  @Test
  void emptyInputHasNoValueAndReason() {
    MetricValue ece = TopLabelCalibration.expectedCalibrationError(new double[0][], new int[0]);

    assertThat(ece.isDefined()).isFalse();
    assertThat(ece.value()).isNull();
    assertThat(ece.reason()).contains("no examples");
  }

  @Test
  void invalidRowsAreRejectedWithIndex() {
    int[] labels = {0, 0};
    assertThatThrownBy(() -> TopLabelCalibration.reliability(
            new double[][] {{0.5, 0.5}, {Double.NaN, 1}}, labels))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1");
    assertThatThrownBy(() -> TopLabelCalibration.reliability(
            new double[][] {{-0.1, 1.1}, {0.5, 0.5}}, labels))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 0");
    assertThatThrownBy(() -> TopLabelCalibration.reliability(
            new double[][] {{0.5, 0.5}, {0.6, 0.6}}, labels))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1")
        .hasMessageContaining("sums to");
    assertThatThrownBy(() -> TopLabelCalibration.reliability(
            new double[][] {{0.5, 0.5}, {0.5, 0.5}}, new int[] {0, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("labels[1] = 2");
  }
}
