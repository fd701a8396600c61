package org.byov.eval.worker;

import java.io.IOException;
import java.nio.file.Path;
import org.byov.core.checkpoint.CorruptCheckpointException;
import org.byov.core.eval.suite.SuiteModel;
import org.byov.core.eval.suite.SuiteModels;
import org.springframework.stereotype.Component;

/** Loads model and checkpoint directories with byov-core's verifying loader. */
@Component
public class SuiteModelLoader implements ModelLoader {

  @Override
  public LoadedModel load(Path directory) throws IOException {
    SuiteModels.Loaded loaded;
    try {
      loaded = SuiteModels.load(directory);
    } catch (CorruptCheckpointException e) {
      throw new ModelRejectedException(e.getMessage(), e);
    }
    return new LoadedModel() {
      @Override
      public SuiteModel model() {
        return loaded.model();
      }

      @Override
      public void close() {
        loaded.close();
      }
    };
  }
}
