package org.byov.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/** The run specs the demo submits: one per method, each under its own model name. */
final class DemoRuns {

  static final String BYOV_MODEL = "fashion-byov";
  static final String BYOL_MODEL = "fashion-byol";
  static final String SUPERVISED_MODEL = "fashion-supervised-bbb";

  private DemoRuns() {}

  /** Returns the supervised BBB run, trained first so that BYOV's evaluation can align with it. */
  static Map<String, Object> supervised(DemoProfile profile) {
    return spec(profile, SUPERVISED_MODEL, "supervised-bbb", evaluation(profile));
  }

  /** Returns the BYOL baseline: the same encoder with no Bayesian layers. */
  static Map<String, Object> byol(DemoProfile profile) {
    return spec(profile, BYOL_MODEL, "byol", evaluation(profile));
  }

  /** Returns the BYOV run, evaluated against the BYOL run and aligned with the supervised BBB run. */
  static Map<String, Object> byov(DemoProfile profile, String byolRunId, String supervisedRunId) {
    Map<String, Object> evaluation = evaluation(profile);
    evaluation.put("baselineRun", byolRunId);
    evaluation.put("alignWith", supervisedRunId);
    Map<String, Object> spec = spec(profile, BYOV_MODEL, "byov", evaluation);
    spec.put("prior", "teacher-variance");
    return spec;
  }

  private static Map<String, Object> spec(DemoProfile profile, String modelName, String method,
      Map<String, Object> evaluation) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("modelName", modelName);
    spec.put("dataset", "fashion-mnist");
    spec.put("method", method);
    spec.put("epochs", profile.epochs());
    spec.put("batchSize", profile.batchSize());
    spec.put("optimizer", Map.of("lr", profile.learningRate()));
    spec.put("trainSubset", profile.trainSubset());
    spec.put("seed", 0);
    spec.put("evaluation", evaluation);
    spec.put("promote", true);
    return spec;
  }

  private static Map<String, Object> evaluation(DemoProfile profile) {
    Map<String, Object> evaluation = new LinkedHashMap<>();
    evaluation.put("samples", profile.evalSamples());
    evaluation.put("oodDataset", "mnist");
    evaluation.put("corruptions", true);
    return evaluation;
  }
}
