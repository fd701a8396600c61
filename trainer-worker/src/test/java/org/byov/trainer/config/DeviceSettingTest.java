package org.byov.trainer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceSettingTest {

  @Test
  void cpuParsesToCpu() {
    assertThat(DeviceSetting.valueOf("cpu").device()).isEqualTo(Device.cpu());
    assertThat(DeviceSetting.valueOf(" CPU ").device()).isEqualTo(Device.cpu());
  }

  @Test
  void gpuWithoutIdIsDeviceZero() {
    assertThat(DeviceSetting.valueOf("gpu").device()).isEqualTo(Device.gpu(0));
    assertThat(DeviceSetting.valueOf("gpu").toString()).isEqualTo("gpu:0");
  }

  @Test
  void gpuWithIdParses() {
    assertThat(DeviceSetting.valueOf("gpu:1").device()).isEqualTo(Device.gpu(1));
    assertThat(DeviceSetting.valueOf("GPU:12").device()).isEqualTo(Device.gpu(12));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "tpu", "cuda", "gpu:", "gpu:-1", "gpu:x", "gpu1", "cpu:0", "gpu:1:2"})
  void invalidValueNamesPropertyAndAcceptedValues(String value) {
    assertThatThrownBy(() -> DeviceSetting.valueOf(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BYOV_DEVICE (byov.worker.device) = '" + value + "' is invalid")
        .hasMessageContaining("use cpu, gpu (CUDA device 0) or gpu:N");
  }
}
