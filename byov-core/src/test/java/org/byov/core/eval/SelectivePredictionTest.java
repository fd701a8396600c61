package org.byov.core.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SelectivePredictionTest {

  @Test
  void aurcOfDistinctScores() {
    // Hand calculation: ordered by uncertainty the outcomes are right, wrong, right, right, so
    // the risks at coverage 1/4..4/4 are 0, 1/2, 1/3, 1/4 and AURC = (0 + 1/2 + 1/3 + 1/4) / 4
    // = 13/48 = 0.2708333.
    double[] uncertainty = {0.3, 0.1, 0.4, 0.2};
    boolean[] correct = {true, true, true, false};

    SelectivePrediction.RiskCoverageCurve curve =
        SelectivePrediction.riskCoverage(uncertainty, correct);

    assertThat(curve.aurc().value()).isCloseTo(13.0 / 48, within(1e-15));
    assertThat(curve.points()).hasSize(4);
    assertThat(curve.points().get(1).coverage()).isEqualTo(0.5);
    assertThat(curve.points().get(1).risk()).isEqualTo(0.5);
    assertThat(curve.points().get(1).threshold()).isEqualTo(0.2);
  }

  @Test
  void aurcSpreadsErrorsOverTies() {
    // Hand calculation: two tied examples, one wrong. Either order is equally likely, so the
    // expected risk at coverage 1/2 is 1/2 and at coverage 1 is 1/2: AURC = 1/2. One point.
    SelectivePrediction.RiskCoverageCurve curve = SelectivePrediction.riskCoverage(
        new double[] {0.7, 0.7}, new boolean[] {true, false});

    assertThat(curve.aurc().value()).isEqualTo(0.5);
    assertThat(curve.points()).hasSize(1);
    assertThat(curve.points().get(0).coverage()).isEqualTo(1.0);
  }

  @Test
  void emptyCurveHasNoArea() {
    SelectivePrediction.RiskCoverageCurve curve =
        SelectivePrediction.riskCoverage(new double[0], new boolean[0]);

    assertThat(curve.aurc().isDefined()).isFalse();
    assertThat(curve.aurc().reason()).contains("no examples");
  }

  @Test
  void thresholdKeepsTargetCoverage() {
    // 100 validation scores 0.00, 0.01, ..., 0.99: keeping 95% accepts the 95 smallest, so the
    // threshold is the 95th smallest score, 0.94.
    double[] validation = new double[100];
    for (int i = 0; i < 100; i++) {
      validation[i] = i / 100.0;
    }

    SelectivePrediction.AbstainThreshold threshold =
        SelectivePrediction.chooseThreshold(validation);

    assertThat(threshold.threshold()).isEqualTo(0.94);
    assertThat(threshold.validationCoverage()).isEqualTo(0.95);
    assertThat(threshold.targetCoverage()).isEqualTo(0.95);
    assertThat(threshold.validationCount()).isEqualTo(100);
  }

  @Test
  void thresholdAppliesToAnotherSplit() {
    // Test scores: 0.1 (right), 0.5 (wrong), 0.9 (right), 0.95 (wrong); threshold 0.9 accepts
    // the first three: coverage 3/4, accuracy 2/3.
    SelectivePrediction.SelectiveResult result = SelectivePrediction.apply(0.9,
        new double[] {0.1, 0.5, 0.9, 0.95}, new boolean[] {true, false, true, false});

    assertThat(result.accepted()).isEqualTo(3);
    assertThat(result.coverage().value()).isEqualTo(0.75);
    assertThat(result.accuracy().value()).isCloseTo(2.0 / 3, within(1e-15));
  }

  @Test
  void nothingAcceptedHasNoAccuracy() {
    SelectivePrediction.SelectiveResult result =
        SelectivePrediction.apply(0.1, new double[] {0.5}, new boolean[] {true});

    assertThat(result.accuracy().isDefined()).isFalse();
    assertThat(result.coverage().value()).isEqualTo(0.0);
  }

  @Test
  void emptyValidationIsRejected() {
    assertThatThrownBy(() -> SelectivePrediction.chooseThreshold(new double[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("validation");
  }
}
