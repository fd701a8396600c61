package org.byov.core.train;

/**
 * Running sums of one epoch's step metrics. It is saved with a mid-epoch checkpoint, so that a
 * run stopped within an epoch reports the same epoch averages after it resumes.
 *
 * @param steps steps accumulated
 * @param dataLoss sum of the BYOL loss or cross-entropy
 * @param klPerExample sum of KL / N_train
 * @param totalLoss sum of the objective
 * @param embeddingStd sum of the collapse signal
 * @param seconds wall-clock seconds spent in the accumulated steps
 */
public record EpochAccumulator(long steps, double dataLoss, double klPerExample, double totalLoss,
    double embeddingStd, double seconds) {

  public static EpochAccumulator empty() {
    return new EpochAccumulator(0, 0, 0, 0, 0, 0);
  }

  /** Returns these sums plus one step. */
  public EpochAccumulator add(double stepDataLoss, double stepKlPerExample, double stepTotal,
      double stepEmbeddingStd, double stepSeconds) {
    return new EpochAccumulator(steps + 1, dataLoss + stepDataLoss,
        klPerExample + stepKlPerExample, totalLoss + stepTotal, embeddingStd + stepEmbeddingStd,
        seconds + stepSeconds);
  }
}
