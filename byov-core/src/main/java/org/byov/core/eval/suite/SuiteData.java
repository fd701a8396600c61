package org.byov.core.eval.suite;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.byov.core.data.DatasetRegistry;
import org.byov.core.data.DatasetSplit;
import org.byov.core.data.ImageSet;
import org.byov.core.data.StratifiedSplit;

/**
 * The image sets of one evaluation: the training set split into a probe-training part and a
 * validation part (stratified, seeded), the test set and the OOD set, each optionally cut to a
 * stratified subset.
 *
 * @param fingerprints SHA-256 fingerprint of each dataset split's files, by set name
 */
record SuiteData(ImageSet train, ImageSet validation, ImageSet test, ImageSet ood,
    Map<String, String> fingerprints) {

  /** Loads the sets that {@code options} name from {@code registry}. */
  static SuiteData load(DatasetRegistry registry, SuiteOptions options) throws IOException {
    ImageSet fullTrain = registry.load(options.dataset(), DatasetSplit.TRAIN);
    ImageSet fullTest = registry.load(options.dataset(), DatasetSplit.TEST);
    ImageSet fullOod = options.oodDataset() == null ? null
        : registry.load(options.oodDataset(), DatasetSplit.TEST);

    ImageSet trainSubset = stratifiedSubset(fullTrain, options.trainLimit(), options.seed());
    StratifiedSplit split = StratifiedSplit.of(trainSubset, options.validationFraction(),
        options.seed());
    ImageSet test = stratifiedSubset(fullTest, options.testLimit(), options.seed());
    ImageSet ood = fullOod == null ? null
        : stratifiedSubset(fullOod, options.oodLimit(), options.seed());

    Map<String, String> fingerprints = new LinkedHashMap<>();
    fingerprints.put(fullTrain.name(), fullTrain.fingerprint());
    fingerprints.put(fullTest.name(), fullTest.fingerprint());
    if (fullOod != null) {
      fingerprints.put("ood:" + fullOod.name(), fullOod.fingerprint());
    }
    return new SuiteData(trainSubset.subset(split.train()), trainSubset.subset(split.validation()),
        test, ood, fingerprints);
  }

  /**
   * Returns at most {@code limit} images of {@code set}, keeping each class's share (0 keeps all),
   * chosen by a seeded stratified split.
   */
  static ImageSet stratifiedSubset(ImageSet set, int limit, long seed) {
    if (limit == 0 || limit >= set.count()) {
      return set;
    }
    double fraction = (double) limit / set.count();
    return set.subset(StratifiedSplit.of(set, fraction, seed).validation());
  }
}
