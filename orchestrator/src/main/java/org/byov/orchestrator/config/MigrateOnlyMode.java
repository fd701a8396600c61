package org.byov.orchestrator.config;

import org.byov.orchestrator.OrchestratorApplication;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Migrate-only mode, the Spring profile {@code migrate}: the orchestrator applies the Flyway
 * migrations of its schema and exits, with no web server, no Batch job and no maintenance loop.
 * The Kubernetes migration Job runs the orchestrator image this way before the Deployments roll
 * out.
 *
 * <p>application-migrate.yml turns the web server off and Flyway on, and {@link MaintenanceLoop}
 * is not created in this profile. Flyway migrates while the context starts. This runner then logs
 * the schema version and closes the context, so {@code main} returns and the process exits with
 * status 0. A failed migration fails the start: {@link FailureLogger} logs one line and the
 * process exits with status 1.
 */
@Component
@Profile(MigrateOnlyMode.PROFILE)
public class MigrateOnlyMode implements ApplicationRunner {

  /** The profile that turns migrate-only mode on. */
  public static final String PROFILE = "migrate";

  private static final Logger log = LoggerFactory.getLogger(MigrateOnlyMode.class);

  private final ObjectProvider<Flyway> flyway;
  private final ConfigurableApplicationContext context;

  public MigrateOnlyMode(ObjectProvider<Flyway> flyway, ConfigurableApplicationContext context) {
    this.flyway = flyway;
    this.context = context;
  }

  @Override
  public void run(ApplicationArguments args) {
    Flyway migrated = flyway.getIfAvailable();
    if (migrated == null) {
      throw new IllegalStateException(
          "Migrate-only mode (profile " + PROFILE + ") has no Flyway to run because"
              + " spring.flyway.enabled is false; remove SPRING_FLYWAY_ENABLED=false from the"
              + " environment of the migration run");
    }
    MigrationInfo current = migrated.info().current();
    log.info(
        "Migrate-only mode: schema {} is at version {}; stopping",
        String.join(",", migrated.getConfiguration().getSchemas()),
        current == null ? "none" : current.getVersion());
    context.close();
  }

  /**
   * Exits the JVM with status 0 once migrate-only mode has closed the context, even if a library
   * left a non-daemon thread running. Does nothing in any other mode.
   */
  public static void exitWhenFinished(ConfigurableApplicationContext context) {
    if (!context.isActive() && context.getEnvironment().matchesProfiles(PROFILE)) {
      System.exit(0);
    }
  }

  /**
   * Logs one line when the orchestrator fails to start in migrate-only mode, for example because a
   * migration failed, before Spring Boot's report and stack trace. Registered in
   * META-INF/spring.factories, because it must exist before the context does.
   */
  public static class FailureLogger implements ApplicationListener<ApplicationFailedEvent> {

    @Override
    public void onApplicationEvent(ApplicationFailedEvent event) {
      ConfigurableApplicationContext failed = event.getApplicationContext();
      boolean orchestrator = event.getSpringApplication().getAllSources().contains(OrchestratorApplication.class);
      if (!orchestrator || failed == null || !failed.getEnvironment().matchesProfiles(PROFILE)) {
        return;
      }
      log.error(
          "Migrate-only mode failed, so the orchestrator exits with a non-zero status: {}",
          rootCause(event.getException()).toString());
    }

    private static Throwable rootCause(Throwable error) {
      Throwable root = error;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      return root;
    }
  }
}
