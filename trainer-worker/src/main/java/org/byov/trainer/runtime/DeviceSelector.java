package org.byov.trainer.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.byov.trainer.config.WorkerProperties.DeviceKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps {@code BYOV_DEVICE} onto a DJL device. {@code gpu} selects the first CUDA device when the
 * PyTorch engine reports one, and falls back to the CPU with a warning otherwise. The training
 * code path is the same for both.
 */
public final class DeviceSelector {

  private static final Logger log = LoggerFactory.getLogger(DeviceSelector.class);

  private DeviceSelector() {}

  /** Returns the device to train on; loads the engine, so call it after {@link NativeSettings}. */
  public static Device select(DeviceKind requested) {
    int gpus = Engine.getInstance().getGpuCount();
    if (requested == DeviceKind.GPU) {
      if (gpus > 0) {
        log.info("BYOV_DEVICE=gpu: training on {} ({} CUDA devices visible)", Device.gpu(), gpus);
        return Device.gpu();
      }
      log.warn("BYOV_DEVICE=gpu but the PyTorch engine sees no CUDA device; training on the CPU");
      return Device.cpu();
    }
    log.info("BYOV_DEVICE=cpu: training on the CPU ({} CUDA devices visible)", gpus);
    return Device.cpu();
  }

  /** Returns the metric tag of a device: {@code gpu} for a CUDA device, else {@code cpu}. */
  public static String tag(Device device) {
    return device.isGpu() ? "gpu" : "cpu";
  }
}
