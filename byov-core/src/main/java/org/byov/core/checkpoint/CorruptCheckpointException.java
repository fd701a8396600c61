package org.byov.core.checkpoint;

import java.io.IOException;

/** A checkpoint or model directory that is incomplete or whose checksums do not match. */
public class CorruptCheckpointException extends IOException {

  public CorruptCheckpointException(String message) {
    super(message);
  }

  public CorruptCheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
