package org.byov.core.eval.suite;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.byov.core.checkpoint.CheckpointData;
import org.byov.core.checkpoint.CheckpointIo;
import org.byov.core.checkpoint.CheckpointManifest;
import org.byov.core.checkpoint.InputContract;
import org.byov.core.checkpoint.ParameterSnapshots;
import org.byov.core.checkpoint.Sha256;
import org.byov.core.checkpoint.Tensor;
import org.byov.core.bayes.Softplus;
import org.byov.core.nn.LayerFactory;
import org.byov.core.nn.Network;
import org.byov.core.nn.NetworkLayout;
import org.byov.core.nn.Parameter;
import org.byov.core.nn.ParameterRole;

/**
 * Loads model and checkpoint directories for the suite. Every checksum is verified before any
 * tensor is read, so a corrupt directory fails with
 * {@link org.byov.core.checkpoint.CorruptCheckpointException} and loads nothing.
 */
public final class SuiteModels {

  /** Weights of a final model directory. */
  static final String MODEL_WEIGHTS = "model.params";
  /** Online-network weights of a training checkpoint. */
  static final String CHECKPOINT_WEIGHTS = "online.params";

  private SuiteModels() {}

  /** A loaded model and the native memory it holds, released by {@link #close()}. */
  public record Loaded(SuiteModel model, CheckpointManifest manifest, NDManager manager)
      implements AutoCloseable {

    @Override
    public void close() {
      model.network().close();
      manager.close();
    }
  }

  /**
   * Loads {@code directory} with frozen layers (sigma stored directly, so pruning can zero it).
   *
   * @throws org.byov.core.checkpoint.CorruptCheckpointException when a checksum does not match
   */
  public static Loaded load(Path directory) throws IOException {
    // NOTE: TrainedModel.load reads the same files; it exposes no Network, which the suite
    // needs to prune a deterministic encoder's weights, hence this loader.
    CheckpointData data = CheckpointIo.read(directory);
    CheckpointManifest manifest = data.manifest();
    Map<String, Tensor> tensors = data.tensorFiles().containsKey(MODEL_WEIGHTS)
        ? data.tensors(MODEL_WEIGHTS) : data.tensors(CHECKPOINT_WEIGHTS);
    String manifestHash = Sha256.of(directory.resolve(CheckpointManifest.FILE_NAME));

    NetworkLayout layout = manifest.layout();
    Network.Heads heads = layout.classes() > 0 ? Network.Heads.CLASSIFIER : Network.Heads.ENCODER;
    NDManager manager = NDManager.newBaseManager();
    try {
      Network network = Network.build(manager, layout, heads, LayerFactory.Kind.FROZEN,
          manifest.seed());
      restore(network, tensors, "Model " + directory);
      InputContract contract = manifest.inputContract();
      SuiteModel model = new SuiteModel(directory.toAbsolutePath().toString(), manifestHash,
          manifest.spec().method().label(), network, contract.mean(), contract.std(),
          manifest.codeVersion(), null);
      return new Loaded(model, manifest, manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** Copies each parameter from the tensors; a checkpoint's rho becomes sigma = softplus(rho). */
  private static void restore(Network network, Map<String, Tensor> tensors, String source) {
    for (Parameter parameter : network.store().all()) {
      String name = parameter.name();
      Tensor tensor = tensors.get(name);
      if (tensor == null && parameter.role() == ParameterRole.POSTERIOR_SIGMA) {
        Tensor rho = tensors.get(name.substring(0, name.length() - ".sigma".length()) + ".rho");
        tensor = rho == null ? null : sigmaOf(rho);
      }
      if (tensor == null) {
        throw new IllegalArgumentException(source + " has no tensor " + name);
      }
      ParameterSnapshots.restore(parameter, tensor, source);
    }
  }

  private static Tensor sigmaOf(Tensor rho) {
    float[] sigma = new float[rho.values().length];
    for (int i = 0; i < sigma.length; i++) {
      sigma[i] = (float) Softplus.sigma(rho.values()[i]);
    }
    return new Tensor(rho.shape(), sigma);
  }
}
