package org.byov.core.eval.suite;

import java.util.Objects;
import org.byov.core.nn.Network;

/**
 * A loaded model as the suite evaluates it. The network must be built with
 * {@code LayerFactory.Kind.FROZEN}, so that pruning can set sigma itself to 0; the suite changes
 * pruned parameters in place and restores them afterwards.
 *
 * @param directory the model or checkpoint directory, for provenance
 * @param manifestSha256 SHA-256 (hex) of its manifest file, for provenance
 * @param method {@code byov}, {@code byol} or {@code supervised-bbb}; a supervised-bbb model
 *     predicts with its own classifier, the others with a linear probe fitted by the suite
 * @param network the encoder, and the classifier for supervised-bbb
 * @param mean per-channel mean of pixel / 255 of the input normalisation
 * @param std per-channel standard deviation of pixel / 255 of the input normalisation
 * @param codeVersion version of the code that trained the model, or null when unknown
 * @param registeredModel the registered version it was named by, {@code name:version}, for
 *     provenance; null for a model given by directory or run id
 */
public record SuiteModel(String directory, String manifestSha256, String method, Network network,
    double[] mean, double[] std, String codeVersion, String registeredModel) {

  public static final String METHOD_SUPERVISED_BBB = "supervised-bbb";

  public SuiteModel {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(network, "network");
    mean = mean.clone();
    std = std.clone();
  }

  /** Returns this model as the registered version {@code name:version}. */
  public SuiteModel withRegisteredModel(String nameAndVersion) {
    return new SuiteModel(directory, manifestSha256, method, network, mean, std, codeVersion,
        nameAndVersion);
  }

  /** Returns whether the model predicts with its own classifier instead of a linear probe. */
  public boolean hasClassifier() {
    return METHOD_SUPERVISED_BBB.equals(method);
  }
}
