package org.byov.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.byov.core.data.ImageSet;
import org.byov.core.ssl.augment.CropFlipAugmenter;
import org.byov.core.ssl.augment.Normalization;
import org.byov.core.testing.TestData;
import org.byov.core.train.TrainingListener;
import org.byov.core.train.TrainingRun;
import org.byov.core.train.TrainingSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalCommandTest {

  @TempDir
  static Path directory;
  private static Path model;

  @BeforeAll
  static void trainTinyModel() throws Exception {
    ImageSet train = TestData.fashionMnistTrain();
    TrainingSpec spec = TrainingSpec.builder().trainSubset(64).batchSize(32).epochs(1).build();
    model = directory.resolve("model");
    try (TrainingRun run = TrainingRun.create(spec, train,
        new CropFlipAugmenter(Normalization.of(train), 2))) {
      run.train(TrainingListener.NONE, null);
      run.exportModel(model);
    }
  }

  @Test
  void smallRunWritesReport() throws Exception {
    Path out = directory.resolve("report");

    int exitCode = new CommandLine(new EvalCommand()).execute("--checkpoint", model.toString(),
        "--samples", "2", "--train-limit", "300", "--test-limit", "100", "--ood-limit", "100",
        "--no-corruptions", "--out", out.toString());

    assertThat(exitCode).isEqualTo(0);
    String html = Files.readString(out.resolve("index.html"));
    assertThat(html).contains("reliability.png").contains("pruning.png")
        .contains("ood-mutual-information.png");
    assertThat(out.resolve("pruning.png")).isNotEmptyFile();
  }

  @Test
  void corruptCheckpointIsRejected() throws Exception {
    Path corrupt = directory.resolve("corrupt");
    Files.createDirectories(corrupt);
    try (var files = Files.list(model)) {
      for (Path file : files.toList()) {
        Files.copy(file, corrupt.resolve(file.getFileName()));
      }
    }
    byte[] weights = Files.readAllBytes(corrupt.resolve("model.params"));
    weights[weights.length - 1] ^= 0x01;
    Files.write(corrupt.resolve("model.params"), weights);

    int exitCode = new CommandLine(new EvalCommand()).execute("--checkpoint", corrupt.toString(),
        "--quick", "--out", directory.resolve("never").toString());

    assertThat(exitCode).isEqualTo(2);
    assertThat(directory.resolve("never")).doesNotExist();
  }
}
