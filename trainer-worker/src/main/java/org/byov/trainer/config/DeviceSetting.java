package org.byov.trainer.config;

import ai.djl.Device;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of {@code BYOV_DEVICE} ({@code byov.worker.device}): {@code cpu}, {@code gpu} for
 * CUDA device 0, or {@code gpu:N} for CUDA device N, in any letter case. Spring converts the
 * property text with {@link #valueOf(String)}, so an invalid value stops the worker at start-up.
 * Whether the device exists is checked later, when the engine is loaded.
 *
 * @param device the DJL device the setting names
 */
public record DeviceSetting(Device device) {

  /** The accepted values, as error messages and docs list them. */
  public static final String ACCEPTED = "cpu, gpu (CUDA device 0) or gpu:N (CUDA device N, from 0)";

  private static final Pattern GPU = Pattern.compile("gpu(?::(\\d{1,4}))?");

  /**
   * Parses a setting.
   *
   * @throws IllegalArgumentException naming the property and the accepted values when {@code
   *     text} matches none of them
   */
  public static DeviceSetting valueOf(String text) {
    String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    if (value.equals("cpu")) {
      return new DeviceSetting(Device.cpu());
    }
    Matcher gpu = GPU.matcher(value);
    if (gpu.matches()) {
      int id = gpu.group(1) == null ? 0 : Integer.parseInt(gpu.group(1));
      return new DeviceSetting(Device.gpu(id));
    }
    throw new IllegalArgumentException(
        "BYOV_DEVICE (byov.worker.device) = '" + text + "' is invalid; use " + ACCEPTED);
  }

  /** Returns the setting as written in {@code BYOV_DEVICE}: {@code cpu} or {@code gpu:N}. */
  @Override
  public String toString() {
    return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
  }
}
