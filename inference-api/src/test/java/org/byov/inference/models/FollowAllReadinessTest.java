package org.byov.inference.models;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.byov.inference.batching.BatchingProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.web.client.RestClient;

/**
 * Readiness with {@code byov.inference.registry.models=*}, built from the service's own
 * components without Spring: the registry client against a loopback registry, the directory
 * loader, the catalog and the follower, whose polls the tests run one at a time.
 */
class FollowAllReadinessTest {

  /** Contains {@code model}, a model directory exported by byov-core, and {@code empty}. */
  @TempDir
  static Path artifacts;

  private LoopbackRegistry registry;
  private ModelCatalog catalog;
  private RegistryFollower follower;

  @BeforeAll
  static void exportModel() throws IOException {
    ExportedModels.export(artifacts.resolve("model"), 101);
    Files.createDirectories(artifacts.resolve("empty"));
  }

  @BeforeEach
  void startRegistry() {
    registry = new LoopbackRegistry();
    ModelProperties.Registry settings = new ModelProperties.Registry(registry.url(),
        LoopbackRegistry.TOKEN, List.of(FollowedModels.ALL), Duration.ofHours(1), artifacts,
        Duration.ofSeconds(10), 2, 16);
    ModelLoader loader = new DirectoryModelLoader(
        new BatchingProperties(true, 64, Duration.ofMillis(2),
            Duration.ofMillis(2), 64, 16384, "cpu"));
    RegistryVersionLoader versions = new RegistryVersionLoader(settings,
        new RegistryClient(RestClient.builder(), settings), loader);
    catalog = new ModelCatalog(new SimpleMeterRegistry(), versions);
    follower = new RegistryFollower(new ModelProperties(null, "local", null, settings), versions,
        loader, catalog);
  }

  @AfterEach
  void stopRegistry() {
    catalog.close();
    registry.close();
  }

  @Test
  void noProductionVersionMeansNotReady() {
    registry.version("draft", 1, "model");

    follower.pollAll();

    assertThat(catalog.names()).isEmpty();
    assertThat(catalog.waitingModels()).isEmpty();
    assertThat(catalog.ready()).as("no model is loaded").isFalse();
    assertThat(registry.unauthorised()).isZero();
  }

  /**
   * The production version of {@code beta} is a directory without a model, so its first load
   * fails and the service stays not ready while {@code alpha} serves. Promoting a version that
   * loads makes it ready.
   */
  @Test
  void failedFirstLoadKeepsNotReady() {
    registry.version("alpha", 1, "model").promote("alpha", 1)
        .version("beta", 1, "empty").version("beta", 2, "model").promote("beta", 1);

    follower.pollAll();

    assertThat(catalog.currentVersion("alpha").orElseThrow().version()).isEqualTo(1);
    assertThat(catalog.waitingModels()).containsExactly("beta");
    assertThat(catalog.ready()).isFalse();

    registry.promote("beta", 2);
    follower.pollAll();

    assertThat(catalog.currentVersion("beta").orElseThrow().version()).isEqualTo(2);
    assertThat(catalog.waitingModels()).isEmpty();
    assertThat(catalog.ready()).isTrue();
  }

  /**
   * A followed model that never loaded and lost its production version in the registry is
   * dropped, so it no longer keeps the service not ready.
   */
  @Test
  void unloadedModelWithoutProductionDropped() {
    registry.version("alpha", 1, "model").promote("alpha", 1)
        .version("beta", 1, "empty").promote("beta", 1);
    follower.pollAll();
    assertThat(catalog.ready()).isFalse();

    registry.remove("beta");
    follower.pollAll();

    assertThat(catalog.waitingModels()).isEmpty();
    assertThat(catalog.ready()).isTrue();
  }
}
