package org.byov.eval;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.byov.core.eval.suite.SuiteModel;
import org.byov.core.nn.BayesianScope;
import org.byov.core.nn.ImageShape;
import org.byov.core.nn.LayerFactory;
import org.byov.core.nn.Network;
import org.byov.core.nn.NetworkLayout;
import org.byov.eval.worker.ModelLoader;
import org.byov.eval.worker.ModelRejectedException;

/**
 * Loads randomly initialised default CNNs, described by a {@code model.properties} file (method,
 * scope and seed) in the model directory; a directory with a {@code corrupt} file is rejected as
 * a checksum mismatch. An untrained encoder is still a real network for the suite's plumbing.
 */
class RandomModelLoader implements ModelLoader {

  @Override
  public LoadedModel load(Path directory) throws IOException {
    if (Files.exists(directory.resolve("corrupt"))) {
      throw new ModelRejectedException("SHA-256 of weights.bin in " + directory
          + " does not match its manifest", null);
    }
    Properties description = new Properties();
    try (var reader = Files.newBufferedReader(directory.resolve("model.properties"))) {
      description.load(reader);
    }
    String method = description.getProperty("method", "byov");
    BayesianScope scope = "none".equals(description.getProperty("scope"))
        ? BayesianScope.none() : BayesianScope.lastK(1);
    long seed = Long.parseLong(description.getProperty("seed", "1"));

    NDManager manager = NDManager.newBaseManager();
    Network.Heads heads = "supervised-bbb".equals(method) ? Network.Heads.CLASSIFIER
        : Network.Heads.ENCODER;
    int classes = "supervised-bbb".equals(method) ? 10 : 0;
    Network network = Network.build(manager, new NetworkLayout("cnn", new ImageShape(1, 28, 28),
        scope, classes), heads, LayerFactory.Kind.FROZEN, seed);
    SuiteModel model = new SuiteModel(directory.toString(), "sha-" + seed, method, network,
        new double[] {0.286}, new double[] {0.353}, "test");
    return new LoadedModel() {
      @Override
      public SuiteModel model() {
        return model;
      }

      @Override
      public void close() {
        network.close();
        manager.close();
      }
    };
  }

  /** Writes a model directory that this loader reads. */
  static Path writeModel(Path directory, String method, String scope, long seed)
      throws IOException {
    Files.createDirectories(directory);
    Files.writeString(directory.resolve("model.properties"),
        "method=" + method + "\nscope=" + scope + "\nseed=" + seed + "\n");
    return directory;
  }
}
