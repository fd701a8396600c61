package org.byov.inference.models;

import java.io.IOException;

/** Loads a model version into memory, ready to serve. */
public interface ModelLoader {

  /**
   * Loads {@code source}. The caller installs the result in the {@link ModelCatalog}, which then
   * owns it.
   *
   * @throws IOException if the directory is unreadable or fails its checksums
   */
  ServingModel load(ModelSource source) throws IOException;
}
