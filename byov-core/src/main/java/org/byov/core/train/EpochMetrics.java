package org.byov.core.train;

import java.util.List;
import org.byov.core.bayes.Snr;

/**
 * The metrics of one finished epoch, averaged over its steps unless stated otherwise.
 *
 * @param epoch 1-based epoch number
 * @param step global optimiser steps completed at the end of the epoch
 * @param byolLoss symmetrised BYOL loss (0..8); null for supervised-bbb
 * @param crossEntropy cross-entropy in nats; null for the self-supervised methods
 * @param klPerExample summed KL divided by the number of training images, in nats, before beta
 * @param klWeight beta in effect at the epoch's last step (after warm-up)
 * @param totalLoss data loss + beta * KL / N_train, the optimised objective
 * @param learningRate learning rate of the epoch's last step
 * @param tau EMA rate of the epoch's last step; null for supervised-bbb
 * @param embeddingStd collapse signal: mean per-dimension std of L2-normalised online embeddings
 * @param collapseThreshold alert threshold 0.1 / sqrt(embedding dimension)
 * @param collapseAlert whether embeddingStd is below the threshold
 * @param snr SNR summary of each Bayesian layer at the end of the epoch
 * @param imagesPerSecond training throughput of the epoch, in images per second
 */
public record EpochMetrics(
    int epoch,
    long step,
    Double byolLoss,
    Double crossEntropy,
    double klPerExample,
    double klWeight,
    double totalLoss,
    double learningRate,
    Double tau,
    double embeddingStd,
    double collapseThreshold,
    boolean collapseAlert,
    List<Snr.Summary> snr,
    double imagesPerSecond) {

  public EpochMetrics {
    snr = snr == null ? List.of() : List.copyOf(snr);
  }
}
