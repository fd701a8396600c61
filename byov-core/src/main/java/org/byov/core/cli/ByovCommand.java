package org.byov.core.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code byov} command line: training, benchmarks and linear probes of byov-core. */
@Command(name = "byov", mixinStandardHelpOptions = true,
    description = "Train, evaluate and inspect BYOV (Bootstrap Your Own Variance) encoders.",
    subcommands = {TrainCommand.class, ProbeCommand.class, EvalCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class})
public final class ByovCommand implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.err);
  }

  /** Logback configuration of the command line, a class-path resource. */
  static final String LOGGING_CONFIGURATION = "byov-cli-logback.xml";

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", LOGGING_CONFIGURATION);
    }
    System.exit(commandLine().execute(args));
  }

  /**
   * Returns the command line with its error handling: an invalid option value, which the
   * commands report as an IllegalArgumentException, prints its message and the usage hint
   * instead of a stack trace, and exits with picocli's usage error code 2.
   */
  static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new ByovCommand());
    commandLine.setExecutionExceptionHandler((e, failed, parsed) -> {
      if (!(e instanceof IllegalArgumentException)) {
        throw e;
      }
      failed.getErr().println("Invalid option: " + e.getMessage());
      failed.getErr().println("Run 'byov " + failed.getCommandName() + " --help' for the options.");
      return failed.getCommandSpec().exitCodeOnInvalidInput();
    });
    return commandLine;
  }
}
