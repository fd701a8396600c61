package org.byov.core.data;

import java.io.IOException;

/**
 * Signals a dataset file whose content does not match its format: a wrong magic number, a
 * truncated file, inconsistent counts or an image of the wrong size. The message names the file
 * and the expected and found values.
 */
public class InvalidDatasetException extends IOException {

  private static final long serialVersionUID = 1L;

  public InvalidDatasetException(String message) {
    super(message);
  }

  public InvalidDatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
