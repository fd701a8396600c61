package org.byov.eval.worker;

import java.io.IOException;
import java.nio.file.Path;
import org.byov.core.eval.suite.SuiteModel;

/** Loads a model or checkpoint directory for the suite, verifying its checksums first. */
public interface ModelLoader {

  /**
   * Loads the directory.
   *
   * @throws ModelRejectedException when a checksum does not match or a file is missing; such a
   *     model is never loaded
   */
  LoadedModel load(Path directory) throws IOException;

  /** A loaded model and the resources it holds, released by {@link #close()}. */
  interface LoadedModel extends AutoCloseable {

    SuiteModel model();

    @Override
    void close();
  }
}
