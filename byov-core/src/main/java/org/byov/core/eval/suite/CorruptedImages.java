package org.byov.core.eval.suite;

import java.util.Arrays;
import java.util.List;
import org.byov.core.data.ImageSet;
import org.byov.core.eval.corruption.Corruption;
import org.byov.core.eval.corruption.Corruptions;

/** Corrupted copies of an image set by corruption id, deterministic for a seed. */
final class CorruptedImages {

  private CorruptedImages() {}

  /** Returns the ids of every corruption, for example {@code gaussian_noise}, in report order. */
  static List<String> names() {
    return Arrays.stream(Corruption.values()).map(Corruption::id).toList();
  }

  /** Returns {@code set} with corruption {@code id} applied at {@code severity} (1 to 5). */
  static ImageSet apply(ImageSet set, String id, int severity, long seed) {
    return Corruptions.corrupt(set, Corruption.fromId(id), severity, seed);
  }
}
