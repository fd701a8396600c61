package org.byov.deploy;

import java.util.List;

/** A BYOV service module: its directory, Java package, application class and port. */
enum ServiceModule {
  ORCHESTRATOR("orchestrator", "org.byov.orchestrator", "OrchestratorApplication", "application", 8080),
  // The worker sets spring.config.name=trainer-worker in its builder.
  TRAINER_WORKER("trainer-worker", "org.byov.trainer", "TrainerWorkerApplication", "trainer-worker", 8081),
  EVAL_SERVICE("eval-service", "org.byov.eval", "EvalServiceApplication", "application", 8082),
  INFERENCE_API("inference-api", "org.byov.inference", "InferenceApiApplication", "application", 8083);

  /** Package of the shared Spring pieces that every service loads. */
  static final String COMMON_PACKAGE = "org.byov.common";

  final String directory;
  final String javaPackage;
  final String applicationClass;
  /** spring.config.name of the service: its configuration is {configName}(-profile).yml. */
  final String configName;
  final int port;

  ServiceModule(
      String directory, String javaPackage, String applicationClass, String configName, int port) {
    this.directory = directory;
    this.javaPackage = javaPackage;
    this.applicationClass = applicationClass;
    this.configName = configName;
    this.port = port;
  }

  /** Returns the module whose image is {@code byov/<name>} or {@code byov/<name>-gpu}. */
  static ServiceModule ofImage(String image) {
    String name = image.replaceFirst(":[^/]*$", "").replaceFirst("^byov/", "").replaceFirst("-gpu$", "");
    return ofDirectory(name);
  }

  /** Returns the module with the directory name; the compose service names are the same. */
  static ServiceModule ofDirectory(String directory) {
    for (ServiceModule module : values()) {
      if (module.directory.equals(directory)) {
        return module;
      }
    }
    throw new IllegalArgumentException(
        "No BYOV service module named " + directory + "; expected one of "
            + List.of(values()).stream().map(module -> module.directory).toList());
  }

  /** Returns the application class, loaded from the test class path. */
  Class<?> application() {
    try {
      return Class.forName(javaPackage + "." + applicationClass);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("Application class of " + directory + " not found", e);
    }
  }

  @Override
  public String toString() {
    return directory;
  }
}
