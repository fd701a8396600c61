package org.byov.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Dockerfiles of deploy/docker, checked without a Docker engine. Every path they copy exists
 * in the repository or is made by their build stage. They build the module's boot jar and run
 * its layers as a non-root user, and the DJL images carry their natives and JVM settings.
 */
class DockerfileTest {

  /** The Spring Boot layers that {@code extract --layers} writes by default. */
  private static final List<String> BOOT_LAYERS =
      List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application");

  /** Dockerfile name suffix, module, port of docs/conventions.md, and whether it loads DJL. */
  static Stream<Arguments> images() {
    return Stream.of(
        Arguments.of("orchestrator", "orchestrator", 8080, false),
        Arguments.of("trainer-worker", "trainer-worker", 8081, true),
        Arguments.of("trainer-gpu", "trainer-worker", 8081, true),
        Arguments.of("eval-service", "eval-service", 8082, true),
        Arguments.of("inference-api", "inference-api", 8083, true));
  }

  private static Dockerfile dockerfile(String suffix) {
    return Dockerfile.read(Repository.path("deploy/docker/Dockerfile." + suffix));
  }

  @Test
  void everyDockerfileIsChecked() {
    assertThat(Repository.files(Repository.path("deploy/docker"), "").stream()
            .map(file -> file.getFileName().toString())
            .filter(name -> name.startsWith("Dockerfile.")))
        .containsExactlyInAnyOrderElementsOf(
            images().map(arguments -> "Dockerfile." + arguments.get()[0]).toList());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void buildStageCopiesExistingPaths(String suffix, String module, int port, boolean djl) {
    Dockerfile file = dockerfile(suffix);
    List<String> ignored = dockerIgnoredPrefixes();

    assertThat(file.firstLine()).as("first line of %s", file.file()).startsWith("# syntax=");
    for (Dockerfile.Stage stage : file.stages()) {
      for (Dockerfile.Instruction copy : stage.all("COPY")) {
        List<String> words = copy.words();
        if (words.get(0).startsWith("--from=")) {
          continue;
        }
        for (String source : words.subList(0, words.size() - 1)) {
          assertThat(Repository.path(source)).as("COPY source in %s", file.file()).exists();
          assertThat(ignored)
              .as("COPY source %s of %s is excluded by .dockerignore", source, file.file())
              .noneMatch(prefix -> source.startsWith(prefix));
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void buildStageCopiesEveryModule(String suffix, String module, int port, boolean djl) {
    Dockerfile.Stage build = dockerfile(suffix).stage("build");
    List<String> copied =
        build.all("COPY").stream().map(copy -> copy.words().get(0).replaceAll("/$", "")).toList();

    // Maven reads every module that the parent pom lists, even with -pl.
    assertThat(copied).as("modules copied by Dockerfile.%s", suffix).containsAll(parentModules());
    assertThat(copied).contains("pom.xml");
    assertThat(build.image()).as("build image").matches("maven:3\\.\\d+-eclipse-temurin-17");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void buildStageExtractsTheModuleBootJar(String suffix, String module, int port, boolean djl) {
    Dockerfile.Stage build = dockerfile(suffix).stage("build");
    String run = build.runText();
    String pom = Repository.read(Repository.path(module + "/pom.xml"));
    String version = projectVersion();

    assertThat(run).contains("mvn -B -q -pl " + module + " -am package");
    assertThat(pom).as("%s/pom.xml must give the boot jar the classifier exec", module)
        .contains("<classifier>exec</classifier>");
    assertThat(run)
        .contains("-Djarmode=tools -jar " + module + "/target/" + module + "-" + version + "-exec.jar")
        .contains("extract --layers --launcher --destination /layers");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void runtimeCopiesWhatTheBuildStageMakes(String suffix, String module, int port, boolean djl) {
    Dockerfile file = dockerfile(suffix);
    String buildRun = file.stage("build").runText();

    for (Dockerfile.Instruction copy : file.runtime().all("COPY")) {
      List<String> words = copy.words();
      assertThat(words.get(0)).as("runtime COPY of %s", file.file()).isEqualTo("--from=build");
      String source = words.get(1);
      if (source.startsWith("/layers/")) {
        assertThat(BOOT_LAYERS).contains(source.replaceAll("^/layers/|/$", ""));
      } else {
        Matcher javaClass = Pattern.compile("^(/[^/]+)/(\\w+)\\.class$").matcher(source);
        assertThat(javaClass.matches()).as("%s is a class file compiled in the build stage", source).isTrue();
        assertThat(buildRun).contains("javac -d " + javaClass.group(1)).contains(javaClass.group(2) + ".java");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void runtimeRunsAsNonRootWithHealthCheck(String suffix, String module, int port, boolean djl) {
    Dockerfile.Stage runtime = dockerfile(suffix).runtime();

    assertThat(runtime.image().equals("eclipse-temurin:17-jre-noble")
            || runtime.runText().contains("openjdk-17-jre-headless"))
        .as("runtime of Dockerfile.%s is a Java 17 JRE", suffix).isTrue();
    assertThat(runtime.all("USER")).as("USER of Dockerfile.%s", suffix).hasSize(1);
    assertThat(runtime.all("USER").get(0).arguments()).isEqualTo("10001:10001");
    assertThat(runtime.all("EXPOSE").get(0).arguments()).isEqualTo(String.valueOf(port));
    assertThat(runtime.all("HEALTHCHECK").get(0).arguments())
        .contains("/actuator/health/readiness")
        .contains("${SERVER_PORT:-" + port + "}");
    assertThat(runtime.all("ENTRYPOINT").get(0).arguments())
        .isEqualTo("[\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
    assertThat(runtime.envText()).contains("MALLOC_ARENA_MAX=2").contains("-Xmx");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("images")
  void djlImagesUnpackNativesAtBuild(String suffix, String module, int port, boolean djl) {
    Dockerfile.Stage runtime = dockerfile(suffix).runtime();
    if (!djl) {
      assertThat(runtime.envText()).doesNotContain("DJL_CACHE_DIR");
      return;
    }
    String env = runtime.envText();

    assertThat(env).contains("DJL_CACHE_DIR=/opt/djl").contains("ENGINE_CACHE_DIR=/opt/djl");
    assertThat(env)
        .contains("-Dai.djl.offline=true")
        .contains("-Dai.djl.pytorch.num_threads=")
        .contains("-Dai.djl.pytorch.num_interop_threads=");
    assertThat(runtime.runText()).contains("DjlWarmUp");
    // The warm-up writes /opt/djl, so it must run before the switch to the read-only user.
    List<Dockerfile.Instruction> instructions = runtime.instructions();
    int warmUp = indexOf(instructions, "RUN", "DjlWarmUp");
    int user = indexOf(instructions, "USER", "");
    assertThat(warmUp).as("warm-up RUN before USER").isLessThan(user);
  }

  @Test
  void gpuImageUsesCudaFlavour() {
    Dockerfile gpu = dockerfile("trainer-gpu");

    assertThat(gpu.runtime().image()).startsWith("nvidia/cuda:");
    assertThat(gpu.runtime().envText()).contains("PYTORCH_FLAVOR=");
    assertThat(gpu.runtime().runText()).contains("rm /app/BOOT-INF/lib/pytorch-native-cpu-");
    assertThat(gpu.runtime().envText()).contains("BYOV_DEVICE=gpu");
  }

  private static int indexOf(List<Dockerfile.Instruction> instructions, String keyword, String text) {
    for (int i = 0; i < instructions.size(); i++) {
      if (instructions.get(i).keyword().equals(keyword) && instructions.get(i).arguments().contains(text)) {
        return i;
      }
    }
    throw new AssertionError("No " + keyword + " containing '" + text + "'");
  }

  private static List<String> parentModules() {
    Matcher module =
        Pattern.compile("<module>([^<]+)</module>").matcher(Repository.read(Repository.path("pom.xml")));
    return module.results().map(match -> match.group(1)).toList();
  }

  private static List<String> dockerIgnoredPrefixes() {
    Path ignore = Repository.path(".dockerignore");
    if (!Files.exists(ignore)) {
      return List.of();
    }
    return Repository.read(ignore).lines()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#") && !line.startsWith("**"))
        .toList();
  }

  private static String projectVersion() {
    Matcher version =
        Pattern.compile("<artifactId>byov-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(Repository.read(Repository.path("pom.xml")));
    if (!version.find()) {
      throw new AssertionError("pom.xml has no version after <artifactId>byov-parent</artifactId>");
    }
    return version.group(1);
  }
}
