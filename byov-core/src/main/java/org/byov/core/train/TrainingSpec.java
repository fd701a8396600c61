package org.byov.core.train;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;
import org.byov.core.bayes.Prior;
import org.byov.core.bayes.PriorKind;
import org.byov.core.nn.BayesianScope;

/**
 * Everything that decides what a training run computes. Every default lives in {@link #defaults()}
 * and docs/method.md explains each. The constructor validates every field and names the field in
 * its error. Units: learning rate per optimiser step; KL weight beta per training example (the
 * objective divides the summed KL by the number of training images); tau per step.
 */
public record TrainingSpec(
    @Describe("Training method: byov, byol or supervised-bbb") Method method,
    @Describe("Encoder backbone name, for example cnn") String backbone,
    @Describe("Bayesian scope over the encoder: last-k, all or none; byol always uses none")
        BayesianScope.Kind bayesianScope,
    @Describe("Number of trailing encoder stages that are Bayesian for last-k, at least 1")
        int bayesianScopeK,
    @Describe("Prior of the KL term: standard-normal, teacher or teacher-variance") PriorKind prior,
    @Describe("Prior sigma s of standard-normal and teacher priors, positive") double priorSigma,
    @Describe("KL weight beta, >= 0; the objective adds beta * KL / N_train") double klWeight,
    @Describe("Epochs over which beta rises linearly from 0 to klWeight; 0 for no warm-up")
        double klWarmupEpochs,
    @Describe("Peak AdamW learning rate per step, positive") double learningRate,
    @Describe("Decoupled AdamW weight decay per step (times the learning rate), >= 0; never "
        + "applied to rho, biases or BatchNorm") double weightDecay,
    @Describe("Epochs of linear learning-rate warm-up before the cosine decay, 0..epochs")
        double warmupEpochs,
    @Describe("Number of passes over the training images, at least 1") int epochs,
    @Describe("Images per optimiser step, at least 2 (BatchNorm needs a batch)") int batchSize,
    @Describe("Seed of initial weights, data order, augmentations and weight noise") long seed,
    @Describe("Training dataset name (for example fashion-mnist) or path") String dataset,
    @Describe("Number of training images to use (a seeded subset); null for all")
        Integer trainSubset,
    @Describe("EMA rate of the target at step 0, rising to 1 on a cosine; in [0, 1)")
        double tauBase) {

  public static final Method DEFAULT_METHOD = Method.BYOV;
  public static final String DEFAULT_BACKBONE = "cnn";
  public static final BayesianScope.Kind DEFAULT_SCOPE = BayesianScope.Kind.LAST_K;
  public static final int DEFAULT_SCOPE_K = 1;
  public static final PriorKind DEFAULT_PRIOR = PriorKind.TEACHER_VARIANCE;
  public static final double DEFAULT_PRIOR_SIGMA = 1.0;
  public static final double DEFAULT_KL_WEIGHT = 1.0;
  public static final double DEFAULT_KL_WARMUP_EPOCHS = 0.0;
  public static final double DEFAULT_LEARNING_RATE = 1e-3;
  public static final double DEFAULT_WEIGHT_DECAY = 1e-2;
  public static final double DEFAULT_WARMUP_EPOCHS = 1.0;
  public static final int DEFAULT_EPOCHS = 20;
  public static final int DEFAULT_BATCH_SIZE = 256;
  public static final long DEFAULT_SEED = 1;
  public static final String DEFAULT_DATASET = "fashion-mnist";
  public static final double DEFAULT_TAU_BASE = 0.99;

  public TrainingSpec {
    require(method != null, "method", method, "use byov, byol or supervised-bbb");
    require(backbone != null && !backbone.isBlank(), "backbone", backbone, "for example cnn");
    require(bayesianScope != null, "bayesianScope", bayesianScope, "use last-k, all or none");
    require(bayesianScope != BayesianScope.Kind.LAST_K || bayesianScopeK >= 1, "bayesianScopeK",
        bayesianScopeK, "use at least 1");
    require(prior != null, "prior", prior, "use standard-normal, teacher or teacher-variance");
    require(priorSigma > 0 && Double.isFinite(priorSigma), "priorSigma", priorSigma,
        "use a positive number");
    require(klWeight >= 0 && Double.isFinite(klWeight), "klWeight", klWeight,
        "use a number >= 0");
    require(klWarmupEpochs >= 0 && Double.isFinite(klWarmupEpochs), "klWarmupEpochs",
        klWarmupEpochs, "use a number >= 0");
    require(learningRate > 0 && learningRate < 10, "learningRate", learningRate,
        "use a positive rate below 10, for example 1e-3");
    require(weightDecay >= 0 && weightDecay < 1, "weightDecay", weightDecay, "use 0 <= x < 1");
    require(epochs >= 1, "epochs", epochs, "use at least 1");
    require(warmupEpochs >= 0 && warmupEpochs <= epochs, "warmupEpochs", warmupEpochs,
        "use 0 <= warmupEpochs <= epochs (" + epochs + ")");
    require(batchSize >= 2, "batchSize", batchSize, "use at least 2");
    require(dataset != null && !dataset.isBlank(), "dataset", dataset,
        "name a dataset such as fashion-mnist");
    require(trainSubset == null || trainSubset >= batchSize, "trainSubset", trainSubset,
        "use at least batchSize (" + batchSize + ") images, or leave it unset for all");
    require(tauBase >= 0 && tauBase < 1, "tauBase", tauBase, "use 0 <= tauBase < 1");
    require(method != Method.BYOV || bayesianScope != BayesianScope.Kind.NONE, "bayesianScope",
        "none", "byov needs Bayesian layers; use last-k or all, or method byol");
    require(method != Method.SUPERVISED_BBB || !prior.needsTeacher(), "prior", prior.label(),
        "supervised-bbb has no EMA teacher; use standard-normal");
  }

  /** Returns the spec with every default. */
  public static TrainingSpec defaults() {
    return new TrainingSpec(DEFAULT_METHOD, DEFAULT_BACKBONE, DEFAULT_SCOPE, DEFAULT_SCOPE_K,
        DEFAULT_PRIOR, DEFAULT_PRIOR_SIGMA, DEFAULT_KL_WEIGHT, DEFAULT_KL_WARMUP_EPOCHS,
        DEFAULT_LEARNING_RATE, DEFAULT_WEIGHT_DECAY, DEFAULT_WARMUP_EPOCHS, DEFAULT_EPOCHS,
        DEFAULT_BATCH_SIZE, DEFAULT_SEED, DEFAULT_DATASET, null, DEFAULT_TAU_BASE);
  }

  /** Returns the Bayesian scope in effect: {@code none} for byol, else the configured one. */
  public BayesianScope effectiveScope() {
    if (method == Method.BYOL || bayesianScope == BayesianScope.Kind.NONE) {
      return BayesianScope.none();
    }
    return bayesianScope == BayesianScope.Kind.ALL
        ? BayesianScope.all()
        : BayesianScope.lastK(bayesianScopeK);
  }

  /** Returns the prior of the KL term. */
  public Prior priorDistribution() {
    return new Prior(prior, priorSigma);
  }

  /** Returns each field's description, in declaration order, for help texts and API docs. */
  public static Map<String, String> fieldDescriptions() {
    Map<String, String> descriptions = new LinkedHashMap<>();
    for (RecordComponent component : TrainingSpec.class.getRecordComponents()) {
      Describe describe = component.getAnnotation(Describe.class);
      descriptions.put(component.getName(), describe == null ? "" : describe.value());
    }
    return descriptions;
  }

  /** Returns a builder initialised with this spec's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Returns a builder initialised with the defaults. */
  public static Builder builder() {
    return new Builder(defaults());
  }

  private static void require(boolean valid, String field, Object value, String fix) {
    if (!valid) {
      throw new IllegalArgumentException(
          "Invalid training spec field " + field + " = " + value + ": " + fix);
    }
  }

  /** A mutable copy of a spec; {@link #build()} validates. */
  public static final class Builder {
    private Method method;
    private String backbone;
    private BayesianScope.Kind bayesianScope;
    private int bayesianScopeK;
    private PriorKind prior;
    private double priorSigma;
    private double klWeight;
    private double klWarmupEpochs;
    private double learningRate;
    private double weightDecay;
    private double warmupEpochs;
    private int epochs;
    private int batchSize;
    private long seed;
    private String dataset;
    private Integer trainSubset;
    private double tauBase;

    private Builder(TrainingSpec spec) {
      method = spec.method;
      backbone = spec.backbone;
      bayesianScope = spec.bayesianScope;
      bayesianScopeK = spec.bayesianScopeK;
      prior = spec.prior;
      priorSigma = spec.priorSigma;
      klWeight = spec.klWeight;
      klWarmupEpochs = spec.klWarmupEpochs;
      learningRate = spec.learningRate;
      weightDecay = spec.weightDecay;
      warmupEpochs = spec.warmupEpochs;
      epochs = spec.epochs;
      batchSize = spec.batchSize;
      seed = spec.seed;
      dataset = spec.dataset;
      trainSubset = spec.trainSubset;
      tauBase = spec.tauBase;
    }

    public Builder method(Method value) {
      method = value;
      return this;
    }

    public Builder backbone(String value) {
      backbone = value;
      return this;
    }

    public Builder bayesianScope(BayesianScope.Kind value) {
      bayesianScope = value;
      return this;
    }

    public Builder bayesianScopeK(int value) {
      bayesianScopeK = value;
      return this;
    }

    public Builder prior(PriorKind value) {
      prior = value;
      return this;
    }

    public Builder priorSigma(double value) {
      priorSigma = value;
      return this;
    }

    public Builder klWeight(double value) {
      klWeight = value;
      return this;
    }

    public Builder klWarmupEpochs(double value) {
      klWarmupEpochs = value;
      return this;
    }

    public Builder learningRate(double value) {
      learningRate = value;
      return this;
    }

    public Builder weightDecay(double value) {
      weightDecay = value;
      return this;
    }

    public Builder warmupEpochs(double value) {
      warmupEpochs = value;
      return this;
    }

    public Builder epochs(int value) {
      epochs = value;
      return this;
    }

    public Builder batchSize(int value) {
      batchSize = value;
      return this;
    }

    public Builder seed(long value) {
      seed = value;
      return this;
    }

    public Builder dataset(String value) {
      dataset = value;
      return this;
    }

    public Builder trainSubset(Integer value) {
      trainSubset = value;
      return this;
    }

    public Builder tauBase(double value) {
      tauBase = value;
      return this;
    }

    public TrainingSpec build() {
      return new TrainingSpec(method, backbone, bayesianScope, bayesianScopeK, prior, priorSigma,
          klWeight, klWarmupEpochs, learningRate, weightDecay, warmupEpochs, epochs, batchSize,
          seed, dataset, trainSubset, tauBase);
    }
  }
}
