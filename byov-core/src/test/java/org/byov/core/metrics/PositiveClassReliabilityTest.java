package org.byov.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PositiveClassReliabilityTest {

  @Test
  void zeroProbabilityIsKeptInFirstBin() {
    // Hand calculation, 2 bins: p = 0 (y = 1) falls in bin 0 with gap 1; four p = 1 fall in bin 1
    // with two positives, gap 0.5. Error = 1/5 * 1 + 4/5 * 0.5 = 0.6.
    double[] p = {1, 1, 1, 1, 0};
    int[] y = {0, 0, 1, 1, 1};

    ReliabilityDiagram diagram = PositiveClassReliability.reliability(p, y, 2);

    assertThat(diagram.bins().get(0).count()).isEqualTo(1);
    assertThat(diagram.bins().get(1).count()).isEqualTo(4);
    assertThat(diagram.total()).isEqualTo(5);
    assertThat(diagram.expectedCalibrationError().value()).isCloseTo(0.6, within(1e-12));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 15})
  void sameGroupsGiveSameError(int bins) {
    // Hand calculation: for 2, 3 and 15 bins the groups are {0.25, 0.25} (no positives, gap 0.25)
    // and 0.55, 0.75, 0.75 (all positive); with 2 bins the latter share a bin (mean 0.6833,
    // gap 0.3167), with 3 and 15 bins 0.55 (gap 0.45) is alone. Both give
    // 0.4 * 0.25 + 0.6 * 0.31667 = 0.4 * 0.25 + 0.2 * 0.45 + 0.4 * 0.25 = 0.29.
    double[] p = {0.25, 0.25, 0.55, 0.75, 0.75};
    int[] y = {0, 0, 1, 1, 1};

    assertThat(PositiveClassReliability.calibrationError(p, y, bins).value())
        .isCloseTo(0.29, within(1e-12));
  }

  @Test
  void labelOutsideBinaryIsRejected() {
    assertThatThrownBy(() -> PositiveClassReliability.calibrationError(
            new double[] {0.5, 0.5}, new int[] {1, 2}, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("labels[1] = 2");
  }

  @Test
  void probabilityAboveOneIsRejected() {
    assertThatThrownBy(() -> PositiveClassReliability.calibrationError(
            new double[] {0.5, 1.5}, new int[] {1, 0}, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("row 1");
  }
}
