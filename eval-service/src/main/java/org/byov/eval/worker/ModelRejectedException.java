package org.byov.eval.worker;

import java.io.IOException;

/**
 * A model directory that must not be loaded: a checksum does not match its manifest, or a file is
 * missing. Retrying cannot help, so the task fails as not retryable.
 */
public class ModelRejectedException extends IOException {

  public ModelRejectedException(String message, Throwable cause) {
    super(message, cause);
  }
}
