package org.byov.core.nn;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ArrayStagingTest {

  /**
   * The staging buffer is overwritten by the next call, so each returned array must own a copy:
   * the first array keeps its values after a second, larger one went through the same buffer.
   */
  @Test
  void arraysKeepValuesAfterReuse() {
    ArrayStaging staging = new ArrayStaging();
    try (NDManager manager = NDManager.newBaseManager()) {
      float[] first = {1f, -2f, 3.5f, 0f, 7f, -0.25f};
      float[] second = {9f, 8f, 7f, 6f, 5f, 4f, 3f, 2f};

      NDArray a = staging.create(manager, first, new Shape(2, 3));
      NDArray b = staging.create(manager, second, new Shape(2, 4));

      assertThat(a.getShape()).isEqualTo(new Shape(2, 3));
      assertThat(a.toFloatArray()).containsExactly(first);
      assertThat(b.getShape()).isEqualTo(new Shape(2, 4));
      assertThat(b.toFloatArray()).containsExactly(second);
    }
  }
}
