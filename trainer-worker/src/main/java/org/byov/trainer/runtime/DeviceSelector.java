package org.byov.trainer.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.byov.trainer.config.DeviceSetting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the device that {@code BYOV_DEVICE} names against the CUDA devices that the PyTorch
 * engine reports. A GPU that is not visible stops the worker at start-up, so that a GPU worker
 * never trains on the CPU unnoticed. CPU and GPU take the same training code path: the device
 * only decides where byov-core creates its arrays.
 */
public final class DeviceSelector {

  private static final Logger log = LoggerFactory.getLogger(DeviceSelector.class);

  private DeviceSelector() {}

  /**
   * Returns the device to train on. Loads the engine, so call it after {@link NativeSettings}.
   *
   * @throws IllegalStateException when the setting names a CUDA device that the engine does not
   *     report
   */
  public static Device select(DeviceSetting setting) {
    Engine engine = Engine.getInstance();
    int gpus = engine.getGpuCount();
    Device device = setting.device();
    if (device.isGpu() && device.getDeviceId() >= gpus) {
      throw new IllegalStateException(unavailable(setting, engine.getEngineName(), gpus));
    }
    log.info("BYOV_DEVICE={}: training on {} ({} CUDA devices visible to {})", setting, tag(device),
        gpus, engine.getEngineName());
    return device;
  }

  private static String unavailable(DeviceSetting setting, String engine, int gpus) {
    String seen = gpus == 0
        ? "sees no CUDA device (CPU-only natives, no NVIDIA driver, or CUDA_VISIBLE_DEVICES empty)"
        : "sees " + gpus + " CUDA devices, gpu:0 to gpu:" + (gpus - 1);
    return "BYOV_DEVICE=" + setting + " names a GPU, but the " + engine + " engine " + seen
        + "; set BYOV_DEVICE=cpu or a visible GPU, or start the worker where that GPU is visible";
  }

  /** Returns the metric tag of a device: {@code cpu}, or {@code gpu:N} for CUDA device N. */
  public static String tag(Device device) {
    return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
  }
}
