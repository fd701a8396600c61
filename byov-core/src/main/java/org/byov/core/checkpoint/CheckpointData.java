package org.byov.core.checkpoint;

import java.util.Map;

/**
 * The verified contents of a checkpoint or model directory.
 *
 * @param directory where it was read from
 * @param manifest its manifest
 * @param tensorFiles every tensor file by file name, each mapping tensor names to tensors
 */
public record CheckpointData(java.nio.file.Path directory, CheckpointManifest manifest,
    Map<String, Map<String, Tensor>> tensorFiles) {

  /** Returns the tensors of {@code fileName}, or throws naming the directory. */
  public Map<String, Tensor> tensors(String fileName) {
    Map<String, Tensor> tensors = tensorFiles.get(fileName);
    if (tensors == null) {
      throw new IllegalArgumentException(directory + " has no tensor file " + fileName);
    }
    return tensors;
  }
}
