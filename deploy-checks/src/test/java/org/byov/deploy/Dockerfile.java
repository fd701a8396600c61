package org.byov.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A Dockerfile read into its instructions, with continuation lines joined and comments dropped,
 * and grouped into build stages. Enough to check paths and settings without a Docker engine.
 */
record Dockerfile(Path file, List<Stage> stages, String firstLine) {

  /** One instruction: the upper-case keyword and the rest of the line. */
  record Instruction(String keyword, String arguments) {

    /** Returns the arguments split at whitespace. */
    List<String> words() {
      return Arrays.asList(arguments.trim().split("\\s+"));
    }
  }

  /** A build stage: its FROM image, its name (AS), and its instructions after FROM. */
  record Stage(String image, String name, List<Instruction> instructions) {

    /** Returns the instructions with the keyword. */
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }

    /** Returns the arguments of every RUN, joined with newlines. */
    String runText() {
      return String.join("\n", all("RUN").stream().map(Instruction::arguments).toList());
    }

    /** Returns the arguments of every ENV and ARG, joined with newlines. */
    String envText() {
      List<String> lines = new ArrayList<>();
      all("ENV").forEach(i -> lines.add(i.arguments()));
      all("ARG").forEach(i -> lines.add(i.arguments()));
      return String.join("\n", lines);
    }
  }

  static Dockerfile read(Path file) {
    String text = Repository.read(file);
    List<String> logical = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.length() == 0)) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      if (current.length() > 0) {
        logical.add(current.toString());
      }
      current.setLength(0);
    }

    List<Stage> stages = new ArrayList<>();
    for (String line : logical) {
      int space = line.indexOf(' ');
      String keyword = line.substring(0, space).toUpperCase(Locale.ROOT);
      String arguments = line.substring(space + 1).strip();
      if (keyword.equals("FROM")) {
        String[] words = arguments.split("\\s+");
        String name = words.length >= 3 && words[1].equalsIgnoreCase("AS") ? words[2] : null;
        stages.add(new Stage(words[0], name, new ArrayList<>()));
      } else if (stages.isEmpty()) {
        throw new IllegalArgumentException(file + ": " + keyword + " before the first FROM");
      } else {
        stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, arguments));
      }
    }
    return new Dockerfile(file, stages, text.lines().findFirst().orElse(""));
  }

  /** Returns the stage with the name given in {@code FROM ... AS name}. */
  Stage stage(String name) {
    return stages.stream()
        .filter(stage -> name.equals(stage.name()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(file + " has no stage named " + name));
  }

  /** Returns the last stage, the one the image is made of. */
  Stage runtime() {
    return stages.get(stages.size() - 1);
  }
}
