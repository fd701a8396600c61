package org.byov.core.data;

import java.io.IOException;

/**
 * Signals a dataset or split that is not installed. The message names the path searched and how
 * to install the dataset.
 */
public class DatasetNotFoundException extends IOException {

  private static final long serialVersionUID = 1L;

  public DatasetNotFoundException(String message) {
    super(message);
  }
}
