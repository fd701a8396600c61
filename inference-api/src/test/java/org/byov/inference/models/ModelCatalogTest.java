package org.byov.inference.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.byov.core.nn.BayesianScope;
import org.byov.inference.TestModels;
import org.byov.inference.web.InferenceProblem;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.client.RestClient;

/**
 * Requests for versions that cannot be loaded on demand, against a catalog whose registry client
 * points at a loopback port that nothing listens on.
 */
class ModelCatalogTest {

  @Test
  void zeroExtraVersionsExplainsIn404() throws IOException {
    try (ModelCatalog catalog = catalog(List.of("fashion"), 0)) {
      catalog.install(TestModels.model("fashion", 2, BayesianScope.lastK(1), 1));

      InferenceProblem problem = catchThrowableOfType(InferenceProblem.class,
          () -> catalog.acquire("fashion", 1));

      assertThat(problem.status()).isEqualTo(HttpStatus.NOT_FOUND);
      assertThat(problem.getMessage())
          .contains("Version 1 of model 'fashion'")
          .contains("2 (production)")
          .contains("byov.inference.registry.extra-versions=0");
    }
  }

  @Test
  void modelOutsideRegistryServesOnlyItsVersion() throws IOException {
    try (ModelCatalog catalog = catalog(List.of(), 2)) {
      catalog.install(TestModels.model("local", 0, BayesianScope.lastK(1), 1));

      InferenceProblem problem = catchThrowableOfType(InferenceProblem.class,
          () -> catalog.acquire("local", 3));

      assertThat(problem.status()).isEqualTo(HttpStatus.NOT_FOUND);
      assertThat(problem.getMessage()).contains("Version 3 of model 'local'")
          .contains("0 (production)").contains("byov.inference.registry.models");
      ServingModel production = catalog.acquire("local", 0);
      assertThat(production.info().version()).isZero();
      production.release();
    }
  }

  @Test
  void refusedRegistryConnectionGets503() throws IOException {
    try (ModelCatalog catalog = catalog(List.of("fashion"), 2)) {
      InferenceProblem problem = catchThrowableOfType(InferenceProblem.class,
          () -> catalog.acquire("fashion", 1));

      assertThat(problem.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
      assertThat(problem.retryAfterSeconds()).isEqualTo(ModelCatalog.RETRY_AFTER_SECONDS);
      assertThat(problem.getMessage()).contains("Version 1 of model 'fashion'")
          .contains("registry");
      assertThat(catalog.servedVersions("fashion")).isEmpty();
    }
  }

  /** Builds a catalog whose registry URL is a loopback port that was free a moment ago. */
  private static ModelCatalog catalog(List<String> models, int extraVersions) throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    ModelProperties.Registry registry = new ModelProperties.Registry(
        "http://127.0.0.1:" + closedPort, "", models, Duration.ofSeconds(30),
        Path.of("unused"), Duration.ofSeconds(10), extraVersions, 16);
    ModelLoader loader = source -> {
      throw new IOException("No load is expected in this test");
    };
    return new ModelCatalog(new SimpleMeterRegistry(), new RegistryVersionLoader(registry,
        new RegistryClient(RestClient.builder(), registry), loader));
  }
}
