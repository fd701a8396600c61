package org.byov.core.probe;

import java.util.SplittableRandom;

/**
 * Seeded stratified split of example indices: from each class, round(fraction * class size)
 * examples go to validation, at least one when the class has two or more examples and never all
 * of them. The same labels, fraction and seed always give the same split.
 */
record StratifiedSplit(int[] training, int[] validation) {

  static StratifiedSplit of(int[] labels, int classes, double fraction, long seed) {
    int[] classSizes = new int[classes];
    for (int label : labels) {
      classSizes[label]++;
    }
    int[][] byClass = new int[classes][];
    int[] filled = new int[classes];
    for (int k = 0; k < classes; k++) {
      byClass[k] = new int[classSizes[k]];
    }
    for (int i = 0; i < labels.length; i++) {
      byClass[labels[i]][filled[labels[i]]++] = i;
    }

    SplittableRandom random = new SplittableRandom(seed);
    boolean[] isValidation = new boolean[labels.length];
    int validationCount = 0;
    for (int k = 0; k < classes; k++) {
      int[] members = byClass[k];
      shuffle(members, random);
      int take = (int) Math.round(fraction * members.length);
      if (members.length >= 2) {
        take = Math.max(1, Math.min(members.length - 1, take));
      } else {
        take = 0;
      }
      for (int j = 0; j < take; j++) {
        isValidation[members[j]] = true;
      }
      validationCount += take;
    }
    if (validationCount == 0) {
      throw new IllegalArgumentException("validation split is empty: no class has two or more "
          + "examples; give more training examples");
    }

    int[] training = new int[labels.length - validationCount];
    int[] validation = new int[validationCount];
    int t = 0;
    int v = 0;
    for (int i = 0; i < labels.length; i++) {
      if (isValidation[i]) {
        validation[v++] = i;
      } else {
        training[t++] = i;
      }
    }
    return new StratifiedSplit(training, validation);
  }

  private static void shuffle(int[] values, SplittableRandom random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }
}
