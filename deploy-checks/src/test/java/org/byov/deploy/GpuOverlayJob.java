package org.byov.deploy;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.byov.orchestrator.dispatch.DispatchProperties;
import org.byov.orchestrator.dispatch.KubernetesJobFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * A trainer Job as the orchestrator creates it in the GPU overlay: overlays/gpu/dispatch.yml bound
 * by Spring as the orchestrator binds it, and the Job built by the orchestrator's own
 * {@link KubernetesJobFactory}. No value of the overlay is repeated here.
 */
final class GpuOverlayJob {

  static final Path DISPATCH_CONFIG = Repository.path("deploy/kubernetes/overlays/gpu/dispatch.yml");

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static DispatchProperties properties;
  private static Job job;

  private GpuOverlayJob() {}

  /** Returns byov.dispatch.* of the overlay, bound into the orchestrator's properties record. */
  static synchronized DispatchProperties properties() {
    if (properties == null) {
      StandardEnvironment environment = new StandardEnvironment();
      List<PropertySource<?>> sources;
      try {
        sources = new YamlPropertySourceLoader().load("dispatch.yml", new FileSystemResource(DISPATCH_CONFIG));
      } catch (IOException e) {
        throw new UncheckedIOException("Could not read " + DISPATCH_CONFIG, e);
      }
      sources.forEach(source -> environment.getPropertySources().addFirst(source));
      Binder binder = new Binder(ConfigurationPropertySources.from(environment.getPropertySources()));
      properties = binder.bind("byov.dispatch", DispatchProperties.class).get();
    }
    return properties;
  }

  static DispatchProperties.Kubernetes settings() {
    return properties().kubernetes();
  }

  /** Returns the Job of one claim (generation 7) of a random task. */
  static synchronized Job job() {
    if (job == null) {
      job = new KubernetesJobFactory(settings()).build(UUID.randomUUID(), UUID.randomUUID(), 7);
    }
    return job;
  }

  /** Returns the Job as a plain map, as the manifest checks read the files of deploy/kubernetes. */
  @SuppressWarnings("unchecked")
  static Manifest manifest() {
    Map<String, Object> content = SERIALIZATION.convertValue(job(), Map.class);
    return new Manifest(DISPATCH_CONFIG, 0, content);
  }
}
