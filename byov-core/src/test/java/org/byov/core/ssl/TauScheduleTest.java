package org.byov.core.ssl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TauScheduleTest {

  // Hand calculation: 1 - 0.004 * (cos(pi k / 1000) + 1) / 2 is 0.996, 0.998 and 1 at k = 0, 500, 1000.
  @Test
  void cosineScheduleFromBase() {
    assertThat(TauSchedule.tau(0, 1000, 0.996)).isCloseTo(0.996, within(1e-12));
    assertThat(TauSchedule.tau(500, 1000, 0.996)).isCloseTo(0.998, within(1e-12));
    assertThat(TauSchedule.tau(1000, 1000, 0.996)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void scheduleRisesMonotonically() {
    double previous = 0;
    for (int step = 0; step <= 100; step++) {
      double tau = TauSchedule.tau(step, 100, 0.99);
      assertThat(tau).isGreaterThanOrEqualTo(previous);
      previous = tau;
    }
  }
}
