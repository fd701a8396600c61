package org.byov.core.cli;

import java.util.Locale;
import org.byov.core.bayes.Snr;
import org.byov.core.train.EpochMetrics;

/** Formats epoch metrics as one line for the terminal. */
final class EpochReport {

  private EpochReport() {}

  static String format(EpochMetrics m) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "epoch %d:", m.epoch()));
    if (m.byolLoss() != null) {
      line.append(String.format(Locale.ROOT, " byol %.4f", m.byolLoss()));
    }
    if (m.crossEntropy() != null) {
      line.append(String.format(Locale.ROOT, " ce %.4f", m.crossEntropy()));
    }
    line.append(String.format(Locale.ROOT, " kl/N %.4g beta %.3g total %.4f lr %.3g",
        m.klPerExample(), m.klWeight(), m.totalLoss(), m.learningRate()));
    if (m.tau() != null) {
      line.append(String.format(Locale.ROOT, " tau %.5f", m.tau()));
    }
    line.append(String.format(Locale.ROOT, " emb-std %.4f%s", m.embeddingStd(),
        m.collapseAlert() ? " (COLLAPSE ALERT)" : ""));
    for (Snr.Summary snr : m.snr()) {
      line.append(String.format(Locale.ROOT, " snr[%s] median %.3g", snr.layer(), snr.median()));
    }
    line.append(String.format(Locale.ROOT, " %.1f img/s", m.imagesPerSecond()));
    return line.toString();
  }
}
