package org.byov.orchestrator.support;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.byov.orchestrator.OrchestratorApplication;
import org.byov.testing.TestPostgres;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Starts orchestrator replicas on one test database, each on a random port, with short leases: 2 s
 * task leases, 2 s owner leases and a 100 ms maintenance pass. Closing a context and starting
 * another on the same database is a restart.
 */
public final class Orchestrators {

  private final TestPostgres.Database database;
  private final Path artifactRoot;

  public Orchestrators(String prefix, Path artifactRoot) {
    this.database = TestPostgres.newDatabase(prefix);
    this.artifactRoot = artifactRoot;
  }

  public TestPostgres.Database database() {
    return database;
  }

  /** The properties every test replica gets, before the caller's overrides. */
  public Map<String, Object> baseProperties(String replicaId) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("spring.datasource.url", database.url());
    properties.put("spring.datasource.username", database.user());
    properties.put("spring.datasource.password", database.password());
    properties.put("server.port", "0");
    properties.put("byov.security.token-list", TestTokens.LIST);
    properties.put("byov.orchestrator.replica-id", replicaId);
    properties.put("byov.orchestrator.lease-period", "2s");
    properties.put("byov.orchestrator.heartbeat-interval", "500ms");
    properties.put("byov.orchestrator.owner-lease-period", "2s");
    properties.put("byov.orchestrator.maintenance-interval", "100ms");
    properties.put("byov.artifacts.root", artifactRoot.toString());
    properties.put("spring.main.banner-mode", "off");
    return properties;
  }

  /** Starts a replica with the base properties and the overrides. */
  public Replica start(String replicaId, Map<String, Object> overrides) {
    Map<String, Object> properties = baseProperties(replicaId);
    properties.putAll(overrides);
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("test-" + replicaId, properties));
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(OrchestratorApplication.class).environment(environment).run();
    int port = ((WebServerApplicationContext) context).getWebServer().getPort();
    return new Replica(context, "http://127.0.0.1:" + port);
  }

  /** A running replica and its base URL. */
  public record Replica(ConfigurableApplicationContext context, String baseUrl)
      implements AutoCloseable {

    public <T> T bean(Class<T> type) {
      return context.getBean(type);
    }

    @Override
    public void close() {
      context.close();
    }
  }
}
