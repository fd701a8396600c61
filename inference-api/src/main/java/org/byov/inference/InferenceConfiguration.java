package org.byov.inference;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.byov.inference.batching.BatchingProperties;
import org.byov.inference.batching.InferenceEngine;
import org.byov.inference.images.ImageLimits;
import org.byov.inference.models.ModelCatalog;
import org.byov.inference.models.ModelLoader;
import org.byov.inference.models.RegistryClient;
import org.byov.inference.models.ModelProperties;
import org.byov.inference.models.RegistryFollower;
import org.byov.inference.models.RegistryVersionLoader;
import org.byov.inference.web.BodySizeLimitFilter;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.client.RestClient;

/**
 * Wires the inference thread, the registry follower and version loader, the body-size limit and
 * the model readiness check.
 */
@Configuration
@EnableConfigurationProperties({ImageLimits.class, BatchingProperties.class,
    ModelProperties.class})
public class InferenceConfiguration {

  @Bean(destroyMethod = "close")
  InferenceEngine inferenceEngine(BatchingProperties batching, MeterRegistry meterRegistry) {
    return new InferenceEngine(batching, meterRegistry);
  }

  @Bean
  RegistryClient registryClient(RestClient.Builder builder, ModelProperties properties) {
    return new RegistryClient(builder, properties.registry());
  }

  @Bean
  RegistryVersionLoader registryVersionLoader(ModelProperties properties, RegistryClient registry,
      ModelLoader loader) {
    return new RegistryVersionLoader(properties.registry(), registry, loader);
  }

  @Bean
  RegistryFollower registryFollower(ModelProperties properties, RegistryVersionLoader versions,
      ModelLoader loader, ModelCatalog catalog) {
    return new RegistryFollower(properties, versions, loader, catalog);
  }

  /** Runs before security and before any body is parsed. */
  @Bean
  FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(ImageLimits limits) {
    FilterRegistrationBean<BodySizeLimitFilter> registration =
        new FilterRegistrationBean<>(new BodySizeLimitFilter(limits.maxBodyBytes()));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  /**
   * Part of the readiness group: up once a model is loaded and, with {@code
   * byov.inference.registry.models=*}, once every followed model is loaded.
   */
  @Bean
  HealthIndicator modelHealthIndicator(ModelCatalog catalog) {
    return () -> {
      if (!catalog.anyLoaded()) {
        return Health.outOfService().withDetail("reason", "no model is loaded yet").build();
      }
      List<String> waiting = catalog.waitingModels();
      if (!waiting.isEmpty()) {
        return Health.outOfService()
            .withDetail("reason", "the production versions of the waiting models are not loaded yet")
            .withDetail("waiting", waiting)
            .withDetail("models", catalog.names())
            .build();
      }
      return Health.up().withDetail("models", catalog.names()).build();
    };
  }
}
