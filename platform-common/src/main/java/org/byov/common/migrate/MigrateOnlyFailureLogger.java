package org.byov.common.migrate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Logs one line when a service fails to start in migrate-only mode ({@link MigrateOnlyMode}), for
 * example because a migration failed, before Spring Boot's report and stack trace. The line names
 * the service by {@code spring.application.name}. Registered in META-INF/spring.factories, because
 * it must exist before the context does. Every service that uses platform-common therefore has
 * it, and it does nothing unless the profile {@code migrate} is active.
 *
 * <p>This class must not load {@link MigrateOnlyMode}, whose methods use Flyway, because services
 * without a database do not have Flyway. {@link MigrateOnlyMode#PROFILE} is a compile-time
 * constant, so reading it here loads nothing.
 */
public class MigrateOnlyFailureLogger implements ApplicationListener<ApplicationFailedEvent> {

  private static final Logger log = LoggerFactory.getLogger(MigrateOnlyFailureLogger.class);

  @Override
  public void onApplicationEvent(ApplicationFailedEvent event) {
    ConfigurableApplicationContext failed = event.getApplicationContext();
    if (failed == null || !failed.getEnvironment().matchesProfiles(MigrateOnlyMode.PROFILE)) {
      return;
    }
    String service = failed.getEnvironment().getProperty("spring.application.name", "the service");
    log.error(
        "Migrate-only mode failed, so {} exits with a non-zero status: {}",
        service,
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
