package org.byov.core.data;

import java.util.Arrays;
import java.util.Random;

/**
 * Splits a training set into a training part and a validation part that keep each class's share,
 * deterministically for a seed. The linear probe chooses its regularisation and the abstain
 * threshold is chosen on the validation part, so neither ever sees the test set.
 *
 * <p>For each class with n images, {@code round(n * validationFraction)} of them, drawn by a
 * seeded Fisher-Yates shuffle of that class's indices, go to validation. That count is clamped to
 * [1, n - 1] when n >= 2, so every such class appears in both parts, and a class with a single
 * image stays in training. Both index arrays are sorted ascending, so they keep the dataset's
 * order.
 *
 * @param train indices of the training part, ascending
 * @param validation indices of the validation part, ascending
 */
public record StratifiedSplit(int[] train, int[] validation) {

  /**
   * Splits {@code labels} (each in {@code [0, classCount)}) for a validation fraction in (0, 1).
   * The same labels, fraction and seed always give the same split, on any JVM.
   */
  public static StratifiedSplit of(
      int[] labels, int classCount, double validationFraction, long seed) {
    if (!(validationFraction > 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "Invalid validation fraction " + validationFraction + ". Expected a value in (0, 1)");
    }
    int[][] byClass = indicesByClass(labels, classCount);

    int[] train = new int[labels.length];
    int[] validation = new int[labels.length];
    int trainSize = 0;
    int validationSize = 0;
    Random random = new Random(seed);
    for (int[] members : byClass) {
      shuffle(members, random);
      int validationCount = validationCount(members.length, validationFraction);
      for (int i = 0; i < members.length; i++) {
        if (i < validationCount) {
          validation[validationSize++] = members[i];
        } else {
          train[trainSize++] = members[i];
        }
      }
    }

    int[] trainPart = Arrays.copyOf(train, trainSize);
    int[] validationPart = Arrays.copyOf(validation, validationSize);
    Arrays.sort(trainPart);
    Arrays.sort(validationPart);
    return new StratifiedSplit(trainPart, validationPart);
  }

  /** Splits the images of {@code set}; see {@link #of(int[], int, double, long)}. */
  public static StratifiedSplit of(ImageSet set, double validationFraction, long seed) {
    return of(set.labels(), set.classCount(), validationFraction, seed);
  }

  private static int validationCount(int classSize, double validationFraction) {
    if (classSize < 2) {
      return 0;
    }
    int rounded = (int) Math.round(classSize * validationFraction);
    return Math.max(1, Math.min(classSize - 1, rounded));
  }

  private static int[][] indicesByClass(int[] labels, int classCount) {
    int[] counts = new int[classCount];
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classCount) {
        throw new IllegalArgumentException(
            "Label " + labels[i] + " at index " + i + " is outside 0.." + (classCount - 1));
      }
      counts[labels[i]]++;
    }
    int[][] byClass = new int[classCount][];
    for (int c = 0; c < classCount; c++) {
      byClass[c] = new int[counts[c]];
    }
    int[] filled = new int[classCount];
    for (int i = 0; i < labels.length; i++) {
      byClass[labels[i]][filled[labels[i]]++] = i;
    }
    return byClass;
  }

  private static void shuffle(int[] values, Random random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }
}
