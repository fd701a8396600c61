package org.byov.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OodMetricsTest {

  @Test
  void aurocCountsTiesAsHalf() {
    // y = [0, 1, 1], s = [0.5, 0.9, 0.5]: pairs (0.9 vs 0.5) won, (0.5 vs 0.5) tied:
    // (1 + 0.5) / 2 = 0.75.
    boolean[] isOod = {false, true, true};
    double[] scores = {0.5, 0.9, 0.5};

    assertThat(OodMetrics.auroc(isOod, scores).value()).isEqualTo(0.75);
  }

  @Test
  void aurocOfEqualScoresIsHalf() {
    assertThat(OodMetrics.auroc(new double[] {0.3, 0.3, 0.3}, new double[] {0.3, 0.3}).value())
        .isEqualTo(0.5);
  }

  @Test
  void singleClassHasNoValueAndReason() {
    MetricValue auroc = OodMetrics.auroc(new boolean[] {true, true}, new double[] {0.1, 0.2});
    MetricValue aupr = OodMetrics.aupr(new double[] {0.1}, new double[0]);
    MetricValue fpr = OodMetrics.fprAt95Tpr(new double[0], new double[0]);

    assertThat(auroc.value()).isNull();
    assertThat(auroc.reason()).contains("only one class");
    assertThat(aupr.value()).isNull();
    assertThat(aupr.reason()).contains("only one class");
    assertThat(fpr.value()).isNull();
    assertThat(fpr.reason()).contains("no examples");
  }

  @Test
  void distinctScoresHandExample() {
    // In-distribution [0.1, 0.2, 0.3, 0.4], OOD [0.35, 0.5, 0.6].
    // AUROC: 0.35 beats 3, 0.5 and 0.6 beat 4 each: 11 / 12.
    // AP: thresholds 0.6 (R 1/3, P 1), 0.5 (R 2/3, P 1), 0.35 (R 1, P 3/4):
    // 1/3 + 1/3 + 1/3 * 3/4 = 11/12.
    // FPR at 95% TPR: all 3 OOD above 0.35 with 1 of 4 negatives: 0.25.
    double[] in = {0.1, 0.2, 0.3, 0.4};
    double[] ood = {0.35, 0.5, 0.6};

    assertThat(OodMetrics.auroc(in, ood).value()).isCloseTo(11.0 / 12, within(1e-15));
    assertThat(OodMetrics.aupr(in, ood).value()).isCloseTo(11.0 / 12, within(1e-15));
    assertThat(OodMetrics.fprAt95Tpr(in, ood).value()).isEqualTo(0.25);
  }

  @Test
  void tiedScoresFormOneThreshold() {
    // y = [0, 1, 1], s = [0.5, 0.9, 0.5]: AP = 0.5 * 1 + 0.5 * 2/3 = 5/6; 95% TPR needs both
    // OOD examples, reached at threshold 0.5 with the one negative: FPR 1.
    boolean[] isOod = {false, true, true};
    double[] scores = {0.5, 0.9, 0.5};

    assertThat(OodMetrics.aupr(isOod, scores).value()).isCloseTo(5.0 / 6, within(1e-15));
    assertThat(OodMetrics.fprAt95Tpr(isOod, scores).value()).isEqualTo(1.0);
  }

  @Test
  void fprUsesExactTwentiethPositive() {
    // 20 OOD scores 1..20 and negatives at 1.5 and 100: 95% TPR needs 19 of 20 positives,
    // reached at threshold 2, above which only the negative at 100 lies: FPR 1/2.
    double[] ood = new double[20];
    for (int i = 0; i < 20; i++) {
      ood[i] = i + 1;
    }

    assertThat(OodMetrics.fprAt95Tpr(new double[] {1.5, 100}, ood).value()).isEqualTo(0.5);
  }
}
