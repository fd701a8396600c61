package org.byov.core.bayes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class PriorTest {

  @Test
  void standardNormalAtInitialisation() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Posterior online = Posterior.ofRho(manager.zeros(new Shape(10)),
          manager.full(new Shape(10), -5f));
      double kl = new Prior(PriorKind.STANDARD_NORMAL, 1.0).kl(online, null).getFloat();
      assertThat(kl).isCloseTo(45.0338, within(1e-3));
    }
  }

  @Test
  void teacherVarianceIsZeroWhenTeacherEqualsOnline() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Posterior online = Posterior.ofRho(manager.create(new float[] {0.3f, -0.2f}),
          manager.create(new float[] {-5f, -3f}));
      Posterior teacher = Posterior.ofSigma(manager.create(new float[] {0.3f, -0.2f}),
          manager.create(new float[] {(float) Softplus.sigma(-5), (float) Softplus.sigma(-3)}));
      double kl = new Prior(PriorKind.TEACHER_VARIANCE, 1.0).kl(online, teacher).getFloat();
      assertThat(kl).isCloseTo(0.0, within(1e-5));
    }
  }

  @Test
  void teacherPriorUsesTeacherMeanAndFixedSigma() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Posterior online = Posterior.ofSigma(manager.create(new float[] {0.1f}),
          manager.create(new float[] {0.1f}));
      Posterior teacher = Posterior.ofSigma(manager.create(new float[] {0f}),
          manager.create(new float[] {0.5f}));
      // Teacher mean 0 with fixed sigma 1 is N(0, 1): the 1.81259 nats of the hand calculation.
      double kl = new Prior(PriorKind.TEACHER, 1.0).kl(online, teacher).getFloat();
      assertThat(kl).isCloseTo(1.81259, within(1e-5));
    }
  }

  @Test
  void teacherPriorWithoutTeacherIsRejected() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Posterior online = Posterior.ofSigma(manager.create(new float[] {0.1f}),
          manager.create(new float[] {0.1f}));
      assertThatThrownBy(() -> new Prior(PriorKind.TEACHER, 1.0).kl(online, null))
          .hasMessageContaining("needs an EMA teacher");
    }
  }

  @Test
  void snrSummaryQuantiles() {
    Snr.Summary summary = Snr.summarise("fc", new float[] {4f, 1f, 3f, 2f, 5f});
    assertThat(summary.mean()).isCloseTo(3.0, within(1e-9));
    assertThat(summary.median()).isCloseTo(3.0, within(1e-9));
    // Position 0.1 * 4 = 0.4 between 1 and 2.
    assertThat(summary.p10()).isCloseTo(1.4, within(1e-6));
    assertThat(summary.min()).isEqualTo(1.0);
  }
}
