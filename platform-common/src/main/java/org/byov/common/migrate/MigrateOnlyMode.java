package org.byov.common.migrate;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Profile;

/**
 * Migrate-only mode, the Spring profile {@code migrate}: a service that owns a schema applies its
 * Flyway migrations and exits, with no web server and no background work. The Kubernetes migration
 * Job runs the orchestrator and eval-service images this way before the Deployments roll out.
 *
 * <p>A service opts in with {@code @Import(MigrateOnlyMode.class)} on its application class, which
 * creates this runner only when the profile is active, and calls {@link #exitWhenFinished} after
 * {@code SpringApplication.run}. Its application-migrate.yml turns the web server off and Flyway
 * on, and its background work is absent in this profile. Flyway migrates while the context starts.
 * This runner then logs the schema version and closes the context, so {@code main} returns and the
 * process exits with status 0. A failed migration fails the start: {@link MigrateOnlyFailureLogger}
 * logs one line and the process exits with status 1.
 *
 * <p>Flyway is an optional dependency of platform-common, so services without a database do not
 * get it. Only a service that has Flyway on its class path may import this class.
 */
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
}
