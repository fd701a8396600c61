package org.byov.core.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SchedulesTest {

  @Test
  void learningRateWarmsUpThenDecays() {
    LearningRateSchedule schedule = new LearningRateSchedule(1.0, 10, 110);
    // Warm-up: (t + 1) / 10. Decay: (1 + cos(pi (t - 10) / 100)) / 2.
    assertThat(schedule.at(0)).isCloseTo(0.1, within(1e-12));
    assertThat(schedule.at(9)).isCloseTo(1.0, within(1e-12));
    assertThat(schedule.at(10)).isCloseTo(1.0, within(1e-12));
    assertThat(schedule.at(60)).isCloseTo(0.5, within(1e-12));
    assertThat(schedule.at(110)).isCloseTo(0.0, within(1e-12));
  }

  @Test
  void specRejectsInvalidFieldsByName() {
    assertThatThrownBy(() -> TrainingSpec.builder().batchSize(1).build())
        .hasMessageContaining("batchSize = 1");
    assertThatThrownBy(() -> TrainingSpec.builder().trainSubset(10).build())
        .hasMessageContaining("trainSubset = 10");
    assertThatThrownBy(() -> TrainingSpec.builder().tauBase(1.0).build())
        .hasMessageContaining("tauBase");
    assertThatThrownBy(() -> TrainingSpec.builder().method(Method.SUPERVISED_BBB).build())
        .hasMessageContaining("prior = teacher-variance");
  }

  @Test
  void specDescribesEveryField() {
    assertThat(TrainingSpec.fieldDescriptions()).hasSize(17).doesNotContainValue("");
  }

  @Test
  void byolUsesNoBayesianLayers() {
    TrainingSpec spec = TrainingSpec.builder().method(Method.BYOL).build();
    assertThat(spec.effectiveScope().toString()).isEqualTo("none");
    assertThat(TrainingSpec.defaults().effectiveScope().toString()).isEqualTo("last-1");
  }
}
