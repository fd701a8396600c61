package org.byov.core.checkpoint;

import java.util.List;
import java.util.Map;
import org.byov.core.nn.NetworkLayout;
import org.byov.core.train.EpochAccumulator;
import org.byov.core.train.EpochMetrics;
import org.byov.core.train.TrainingSpec;

/**
 * The {@code manifest.json} of a checkpoint or model directory: provenance, position and the
 * SHA-256 of every other file. docs/checkpoints.md documents each field.
 *
 * @param formatVersion on-disk format version, {@value #FORMAT_VERSION}
 * @param kind {@value #KIND_CHECKPOINT} or {@value #KIND_MODEL}
 * @param spec the training spec of the run
 * @param layout the network structure, enough to rebuild it
 * @param epoch completed epochs
 * @param step global optimiser steps completed
 * @param stepsPerEpoch optimiser steps per epoch
 * @param trainingImages N_train, the number of training images (the KL divisor)
 * @param rng position of the random streams
 * @param metrics metrics of every completed epoch
 * @param partialEpoch sums of the current epoch's steps when written mid-epoch, else null
 * @param seed the run seed
 * @param dataFingerprint SHA-256 fingerprint of the training data
 * @param codeVersion version of the code that wrote the directory
 * @param createdAt ISO-8601 UTC time of writing
 * @param inputContract the model's input contract
 * @param files SHA-256 (hex) of each other file in the directory, by file name
 */
public record CheckpointManifest(
    int formatVersion,
    String kind,
    TrainingSpec spec,
    NetworkLayout layout,
    int epoch,
    long step,
    long stepsPerEpoch,
    long trainingImages,
    RngPosition rng,
    List<EpochMetrics> metrics,
    EpochAccumulator partialEpoch,
    long seed,
    String dataFingerprint,
    String codeVersion,
    String createdAt,
    InputContract inputContract,
    Map<String, String> files) {

  public static final int FORMAT_VERSION = 1;
  public static final String KIND_CHECKPOINT = "checkpoint";
  public static final String KIND_MODEL = "model";
  public static final String FILE_NAME = "manifest.json";

  public CheckpointManifest {
    metrics = metrics == null ? List.of() : List.copyOf(metrics);
    files = files == null ? Map.of() : Map.copyOf(files);
  }

  /** Returns a copy with {@code newFiles} as the checksum table. */
  public CheckpointManifest withFiles(Map<String, String> newFiles) {
    return new CheckpointManifest(formatVersion, kind, spec, layout, epoch, step, stepsPerEpoch,
        trainingImages, rng, metrics, partialEpoch, seed, dataFingerprint, codeVersion, createdAt,
        inputContract, newFiles);
  }
}
