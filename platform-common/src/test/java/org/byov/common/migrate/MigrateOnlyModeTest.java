package org.byov.common.migrate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.byov.testing.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * The shared migrate-only mode in small applications: the runner that {@code @Import} adds only in
 * the profile {@code migrate}, and the failure logger that META-INF/spring.factories registers in
 * every application on this class path. The services' own MigrateOnlyModeTest classes run the mode
 * with their real schemas and {@code main}.
 */
@ExtendWith(OutputCaptureExtension.class)
class MigrateOnlyModeTest {

  private static final String FAILURE_LINE = "Migrate-only mode failed, so probe-service exits with a non-zero status";

  /** An application that opts in to migrate-only mode, as the orchestrator and eval-service do. */
  @Configuration(proxyBeanMethods = false)
  @Import(MigrateOnlyMode.class)
  static class MigratingApplication {}

  /** An application with nothing to run. */
  @Configuration(proxyBeanMethods = false)
  static class PlainApplication {}

  /**
   * A Flyway that migrates the schema {@code probe} of the database at {@code probe.url} when it is
   * created, as Spring Boot's does.
   */
  @Configuration(proxyBeanMethods = false)
  static class ProbeFlyway {

    @Bean
    Flyway flyway(Environment environment) {
      Flyway flyway = Flyway.configure()
          .dataSource(
              environment.getRequiredProperty("probe.url"),
              environment.getRequiredProperty("probe.user"),
              environment.getProperty("probe.password", ""))
          .schemas("probe")
          .locations("classpath:db/migration/probe")
          .load();
      flyway.migrate();
      return flyway;
    }
  }

  /** An application whose start fails, as it does when a migration fails. */
  @Configuration(proxyBeanMethods = false)
  static class FailingApplication {

    @Bean
    String failingBean() {
      throw new IllegalStateException("probe start failure");
    }
  }

  private static ConfigurableApplicationContext run(Class<?> source, String... arguments) {
    return run(new Class<?>[] {source}, arguments);
  }

  private static ConfigurableApplicationContext run(Class<?>[] sources, String... arguments) {
    return new SpringApplicationBuilder(sources)
        .web(WebApplicationType.NONE)
        .properties("spring.main.banner-mode=off", "spring.application.name=probe-service")
        .run(arguments);
  }

  @Test
  void runnerLogsSchemaVersionAndClosesContext(CapturedOutput output) {
    TestPostgres.Database database = TestPostgres.newDatabase("migrate_only_probe");

    ConfigurableApplicationContext context = run(
        new Class<?>[] {MigratingApplication.class, ProbeFlyway.class},
        "--spring.profiles.active=migrate",
        "--probe.url=" + database.url(),
        "--probe.user=" + database.user(),
        "--probe.password=" + database.password());

    assertThat(context.isActive()).as("context active after the runner").isFalse();
    // Version 2: src/test/resources/db/migration/probe has V1 and V2.
    assertThat(output).contains("Migrate-only mode: schema probe is at version 2; stopping");
  }

  @Test
  void runnerAbsentWithoutProfile() {
    try (ConfigurableApplicationContext context = run(MigratingApplication.class)) {
      assertThat(context.isActive()).isTrue();
      assertThat(context.getBeanNamesForType(MigrateOnlyMode.class)).isEmpty();
    }
  }

  @Test
  void runnerWithoutFlywayNamesTheSetting() {
    assertThatThrownBy(() -> run(MigratingApplication.class, "--spring.profiles.active=migrate"))
        .hasStackTraceContaining("spring.flyway.enabled is false")
        .hasStackTraceContaining("remove SPRING_FLYWAY_ENABLED=false");
  }

  @Test
  void failureLoggerNamesServiceOnce(CapturedOutput output) {
    assertThatThrownBy(() -> run(FailingApplication.class, "--spring.profiles.active=migrate"))
        .hasStackTraceContaining("probe start failure");

    assertThat(output).containsOnlyOnce(FAILURE_LINE + ": java.lang.IllegalStateException: probe start failure");
  }

  @Test
  void failureLoggerSilentWithoutProfile(CapturedOutput output) {
    assertThatThrownBy(() -> run(FailingApplication.class)).hasStackTraceContaining("probe start failure");

    assertThat(output).doesNotContain("Migrate-only mode failed");
  }

  @Test
  void exitWhenFinishedReturnsOutsideMigrateMode() {
    ConfigurableApplicationContext closed = run(MigratingApplication.class);
    closed.close();

    // A System.exit here would end the test JVM, and Surefire would report the run as crashed.
    MigrateOnlyMode.exitWhenFinished(closed);

    assertThat(closed.isActive()).isFalse();
  }

  @Test
  void exitWhenFinishedReturnsWhileContextRuns() {
    try (ConfigurableApplicationContext running = run(PlainApplication.class, "--spring.profiles.active=migrate")) {
      // A System.exit here would end the test JVM, and Surefire would report the run as crashed.
      MigrateOnlyMode.exitWhenFinished(running);

      assertThat(running.isActive()).isTrue();
    }
  }
}
