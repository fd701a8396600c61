package org.byov.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {

  /** 100 images of class 0, 50 of class 1 and 10 of class 2, interleaved. */
  private static int[] labels() {
    int[] labels = new int[160];
    for (int i = 0; i < labels.length; i++) {
      if (i >= 150) {
        labels[i] = 2;
      } else if (i % 3 == 0) {
        labels[i] = 1;
      } else {
        labels[i] = 0;
      }
    }
    return labels;
  }

  private static int[] countByClass(int[] labels, int[] indices) {
    int[] counts = new int[3];
    for (int index : indices) {
      counts[labels[index]]++;
    }
    return counts;
  }

  @Test
  void keepsClassShares() {
    int[] labels = labels();

    StratifiedSplit split = StratifiedSplit.of(labels, 3, 0.1, 7);

    // round(100 x 0.1) = 10, round(50 x 0.1) = 5, round(10 x 0.1) = 1.
    assertThat(countByClass(labels, split.validation())).containsExactly(10, 5, 1);
    assertThat(countByClass(labels, split.train())).containsExactly(90, 45, 9);
  }

  @Test
  void smallClassesKeepOneInEachPart() {
    // Fraction 0.01: class 0 (10 images) and class 1 (2 images) round to 0, raised to 1.
    // Fraction 0.9: class 0 rounds to 9, class 1 to 2, lowered to 1. Class 2 (1 image) stays in
    // training both times.
    int[] labels = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2};

    StratifiedSplit few = StratifiedSplit.of(labels, 3, 0.01, 3);
    StratifiedSplit many = StratifiedSplit.of(labels, 3, 0.9, 3);

    int[] fewCounts = new int[3];
    for (int index : few.validation()) {
      fewCounts[labels[index]]++;
    }
    int[] manyCounts = new int[3];
    for (int index : many.validation()) {
      manyCounts[labels[index]]++;
    }
    assertThat(fewCounts).containsExactly(1, 1, 0);
    assertThat(manyCounts).containsExactly(9, 1, 0);
  }

  @Test
  void partsAreDisjointSortedAndComplete() {
    StratifiedSplit split = StratifiedSplit.of(labels(), 3, 0.25, 7);

    int[] all = IntStream.concat(IntStream.of(split.train()), IntStream.of(split.validation()))
        .sorted().toArray();
    assertThat(all).isEqualTo(IntStream.range(0, 160).toArray());
    assertThat(split.train()).isSorted();
    assertThat(split.validation()).isSorted();
  }

  @Test
  void sameSeedSameSplit() {
    StratifiedSplit first = StratifiedSplit.of(labels(), 3, 0.2, 11);
    StratifiedSplit second = StratifiedSplit.of(labels(), 3, 0.2, 11);

    assertThat(second.validation()).isEqualTo(first.validation());
  }

  @Test
  void differentSeedDifferentSplit() {
    StratifiedSplit first = StratifiedSplit.of(labels(), 3, 0.2, 11);
    StratifiedSplit second = StratifiedSplit.of(labels(), 3, 0.2, 12);

    assertThat(Arrays.equals(second.validation(), first.validation())).isFalse();
  }

  @Test
  void fractionOutsideOpenIntervalIsRejected() {
    assertThatThrownBy(() -> StratifiedSplit.of(labels(), 3, 1.0, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Invalid validation fraction 1.0");
  }

  @Test
  void subsetOfImageSetCopiesImagesAndLabels() {
    byte[] pixels = {1, 2, 3, 4, 5, 6};
    ImageSet set =
        new ImageSet("s", 3, 1, 1, 2, pixels, new int[] {0, 1, 0}, java.util.List.of("a", "b"), "f");

    ImageSet subset = set.subset(new int[] {2, 0});

    assertThat(subset.count()).isEqualTo(2);
    assertThat(subset.pixels()).containsExactly(5, 6, 1, 2);
    assertThat(subset.labels()).containsExactly(0, 0);
    assertThat(subset.fingerprint()).isEqualTo("f");
  }
}
