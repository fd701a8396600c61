package org.byov.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.byov.core.bayes.PriorKind;
import org.byov.core.train.TrainingSpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TrainCommandTest {

  @Test
  void supervisedDefaultsToStandardNormal() {
    TrainCommand command = parse("--method", "supervised-bbb", "--out", "unused");

    assertThat(command.spec().prior()).isEqualTo(PriorKind.STANDARD_NORMAL);
  }

  @Test
  void byovKeepsTeacherVarianceDefault() {
    TrainCommand command = parse("--method", "byov", "--out", "unused");

    assertThat(command.spec().prior()).isEqualTo(TrainingSpec.DEFAULT_PRIOR);
  }

  /**
   * An option value that the training spec rejects prints one line that names the problem and
   * exits with picocli's usage error code 2, not a stack trace. The spec is built before any data
   * is read, so the command fails at once.
   */
  @Test
  void invalidCombinationPrintsMessageNotStackTrace() {
    StringWriter err = new StringWriter();
    CommandLine commandLine = ByovCommand.commandLine();
    commandLine.setErr(new PrintWriter(err));

    int exit = commandLine.execute("train", "--method", "supervised-bbb", "--prior", "teacher",
        "--epochs", "1", "--out", "unused");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).startsWith("Invalid option: ");
    assertThat(err.toString()).contains("supervised-bbb has no EMA teacher");
    assertThat(err.toString()).doesNotContain("\tat ");
  }

  private static TrainCommand parse(String... args) {
    TrainCommand command = new TrainCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }
}
