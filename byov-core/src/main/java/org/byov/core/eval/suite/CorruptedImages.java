package org.byov.core.eval.suite;

import java.util.List;
import org.byov.core.data.ImageSet;

/** Corrupted copies of an image set, deterministic for a seed. */
final class CorruptedImages {

  private CorruptedImages() {}

  /** Returns the corruption names in report order. */
  static List<String> names() {
    // TODO: call org.byov.core.eval.corruption once it is in this branch.
    throw new IllegalStateException("Corruptions are not available in this build yet; evaluate"
        + " with corruptions off");
  }

  /** Returns {@code set} with {@code corruption} applied at {@code severity} (1 to 5). */
  static ImageSet apply(ImageSet set, String corruption, int severity, long seed) {
    throw new IllegalStateException("Corruptions are not available in this build yet");
  }
}
