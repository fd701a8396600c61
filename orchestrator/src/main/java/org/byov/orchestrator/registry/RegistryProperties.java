package org.byov.orchestrator.registry;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Model registry settings, bound from {@code byov.registry.*}.
 *
 * @param gates the conditions a version must meet for automatic promotion
 */
@ConfigurationProperties("byov.registry")
public record RegistryProperties(@DefaultValue Gates gates) {

  /**
   * Automatic promotion gates, checked against the evaluation's headline metrics.
   *
   * @param minProbeAccuracy lowest linear-probe top-1 accuracy (0 to 1)
   * @param maxEce highest expected calibration error (0 to 1)
   */
  public record Gates(
      @DefaultValue("0.0") double minProbeAccuracy, @DefaultValue("1.0") double maxEce) {}
}
