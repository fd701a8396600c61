package org.byov.inference.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.byov.core.bayes.Softplus;
import org.byov.core.checkpoint.CheckpointData;
import org.byov.core.checkpoint.CheckpointIo;
import org.byov.core.checkpoint.CheckpointManifest;
import org.byov.core.checkpoint.ParameterSnapshots;
import org.byov.core.checkpoint.Tensor;
import org.byov.core.nn.NetworkLayout;
import org.byov.core.nn.Parameter;
import org.byov.core.nn.ParameterRole;
import org.byov.core.probe.LinearProbe;
import org.byov.core.train.TrainingRun;
import org.byov.inference.batching.BatchingProperties;
import org.byov.inference.batching.InferenceEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Loads a model directory written by byov-core's {@code TrainingRun.exportModel}: the manifest
 * and every file are checked against their SHA-256 checksums first ({@link CheckpointIo#read}),
 * so a corrupt directory loads nothing. The encoder's parameters are copied by name into a
 * {@link ServingNetwork}; a stored rho becomes sigma = softplus(rho).
 */
@Component
public class DirectoryModelLoader implements ModelLoader {

  private static final Logger log = LoggerFactory.getLogger(DirectoryModelLoader.class);

  private final ai.djl.Device device;

  public DirectoryModelLoader(BatchingProperties batching) {
    this.device = InferenceEngine.device(batching.device());
  }

  @Override
  public ServingModel load(ModelSource source) throws IOException {
    Path directory = source.directory();
    CheckpointData data = CheckpointIo.read(directory);
    CheckpointManifest manifest = data.manifest();
    if (!CheckpointManifest.KIND_MODEL.equals(manifest.kind())) {
      throw new IOException(directory + " is a " + manifest.kind() + " directory, not a model"
          + " directory; serve the run's exported model (runs/{runId}/model)");
    }
    Map<String, Tensor> tensors = data.tensors(TrainingRun.MODEL_FILE);
    InputContract contract = contract(source, manifest, directory);

    NetworkLayout layout = manifest.layout();
    ServingNetwork network = ServingNetwork.build(device, layout, manifest.seed());
    try {
      restore(network, tensors, directory);
      network.parametersChanged();
      PredictionHead head = head(network, source);
      ServingModel model = new ServingModel(source.info(), contract, network, head);
      log.info("Loaded model {} version {} from {}: backbone {}, scope {}, prediction head {}",
          source.info().name(), source.info().version(), directory, layout.backbone(),
          layout.scope(), head == null ? "none"
              : head instanceof ClassifierHead ? "the model's classifier" : source.probeFile());
      return model;
    } catch (RuntimeException e) {
      network.close();
      throw e;
    }
  }

  /**
   * Returns the model's own classifier for a {@code supervised-bbb} model, whose evaluation also
   * predicts with it; otherwise the linear probe file, or null when there is none.
   */
  private static PredictionHead head(ServingNetwork network, ModelSource source)
      throws IOException {
    ClassifierHead classifier = network.classifierHead();
    if (classifier != null) {
      if (source.probeFile() != null) {
        log.info("Model {} version {} predicts with its own classifier; the probe file {} is not"
            + " used", source.info().name(), source.info().version(), source.probeFile());
      }
      return classifier;
    }
    return source.probeFile() == null ? null : ProbeHead.of(LinearProbe.load(source.probeFile()));
  }

  private static void restore(ServingNetwork network, Map<String, Tensor> tensors,
      Path directory) {
    String source = "Model " + directory;
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

  /**
   * Returns the registry's contract when there is one, after checking that its shape matches the
   * directory's, and the directory's otherwise.
   */
  private static InputContract contract(ModelSource source, CheckpointManifest manifest,
      Path directory) throws IOException {
    org.byov.core.checkpoint.InputContract stored = manifest.inputContract();
    if (stored == null && source.contract() == null) {
      throw new IOException(directory + " records no input contract and the registry gave none");
    }
    if (stored == null) {
      return source.contract();
    }
    InputContract fromDirectory = new InputContract(stored.channels(), stored.height(),
        stored.width(), boxed(stored.mean()), boxed(stored.std()), stored.classNames());
    InputContract registry = source.contract();
    if (registry == null) {
      return fromDirectory;
    }
    if (registry.channels() != stored.channels() || registry.height() != stored.height()
        || registry.width() != stored.width()) {
      throw new IOException("The registry's input shape " + registry.channels() + "x"
          + registry.height() + "x" + registry.width() + " differs from the model directory's "
          + stored.channels() + "x" + stored.height() + "x" + stored.width() + " in " + directory);
    }
    return registry;
  }

  private static List<Double> boxed(double[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
