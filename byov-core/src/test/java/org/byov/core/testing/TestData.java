package org.byov.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.DatasetSplit;
import org.byov.core.data.ImageSet;

/** The real Fashion-MNIST splits, read once per test JVM. */
public final class TestData {

  private static ImageSet train;
  private static ImageSet test;

  private TestData() {}

  public static synchronized ImageSet fashionMnistTrain() {
    if (train == null) {
      train = load(DatasetSplit.TRAIN);
    }
    return train;
  }

  public static synchronized ImageSet fashionMnistTest() {
    if (test == null) {
      test = load(DatasetSplit.TEST);
    }
    return test;
  }

  private static ImageSet load(DatasetSplit split) {
    try {
      return DatasetRegistry.fromEnvironment().load("fashion-mnist", split);
    } catch (IOException e) {
      throw new UncheckedIOException("Fashion-MNIST is not installed; run scripts/install-datasets.sh", e);
    }
  }
}
