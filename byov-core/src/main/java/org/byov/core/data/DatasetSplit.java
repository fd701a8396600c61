package org.byov.core.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The published split of a dataset: its training set or its test set. */
public enum DatasetSplit {
  TRAIN,
  TEST;

  /** Returns the lower-case name used on the command line and in run specs. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code train} or {@code test}, ignoring case. */
  public static DatasetSplit parse(String value) {
    for (DatasetSplit split : values()) {
      if (split.id().equalsIgnoreCase(value.strip())) {
        return split;
      }
    }
    throw new IllegalArgumentException(
        "Unknown dataset split '" + value + "'. Expected one of "
            + Arrays.stream(values()).map(DatasetSplit::id).collect(Collectors.joining(", ")));
  }
}
