package org.byov.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.byov.core.bayes.Posterior;
import org.byov.core.bayes.Prior;
import org.byov.core.data.ImageSet;
import org.byov.core.nn.ArrayStaging;
import org.byov.core.nn.BayesianLayer;
import org.byov.core.nn.ForwardPass;
import org.byov.core.nn.Network;
import org.byov.core.nn.Scalars;
import org.byov.core.ssl.ByolLoss;
import org.byov.core.ssl.CollapseSignal;
import org.byov.core.ssl.EmaTarget;
import org.byov.core.ssl.augment.ViewAugmenter;

/**
 * One optimiser step of the generalised ELBO: the data loss (symmetrised BYOL loss, or
 * cross-entropy for supervised-bbb) plus beta * KL / N_train, one weight sample per step shared by
 * both views, then AdamW and, for BYOL and BYOV, the EMA update of the target.
 */
final class StepRunner {

  /** The values of one step. */
  record StepValues(double dataLoss, double klPerExample, double total, double embeddingStd) {}

  private final TrainingSpec spec;
  private final ImageSet trainSet;
  private final ViewAugmenter augmenter;
  private final NDManager manager;
  private final Network online;
  private final Network target;
  private final AdamW optimiser;
  private final Prior prior;
  private final long trainingImages;
  private final ArrayStaging staging = new ArrayStaging();

  StepRunner(TrainingSpec spec, ImageSet trainSet, ViewAugmenter augmenter, NDManager manager,
      Network online, Network target, AdamW optimiser, long trainingImages) {
    this.spec = spec;
    this.trainSet = trainSet;
    this.augmenter = augmenter;
    this.manager = manager;
    this.online = online;
    this.target = target;
    this.optimiser = optimiser;
    this.prior = spec.priorDistribution();
    this.trainingImages = trainingImages;
  }

  /**
   * Runs global step {@code step} on the images {@code batch}.
   *
   * @param learningRate learning rate of this step
   * @param tau EMA rate of this step (ignored by supervised-bbb)
   * @param klWeight beta of this step, after warm-up
   */
  StepValues run(int[] batch, long step, double learningRate, double tau, double klWeight) {
    float[][] views = augmenter.twoViews(trainSet, batch, Seeds.augmentation(spec.seed(), step));
    Shape shape = new Shape(batch.length, trainSet.channels(), trainSet.height(),
        trainSet.width());
    StepValues values;
    try (NDManager stepManager = manager.newSubManager(); NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      NDArray view1 = staging.create(stepManager, views[0], shape);
      if (spec.method().selfSupervised()) {
        NDArray view2 = staging.create(stepManager, views[1], shape);
        values = selfSupervised(view1, view2, step, klWeight);
      } else {
        values = supervised(view1, labels(stepManager, batch), step, klWeight);
      }
      optimiser.step(learningRate);
      if (target != null) {
        EmaTarget.update(online.store(), target.store(), tau);
      }
    }
    return values;
  }

  private StepValues selfSupervised(NDArray view1, NDArray view2, long step, double klWeight) {
    NDArray target1 = targetProjection(view1);
    NDArray target2 = targetProjection(view2);
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      ForwardPass pass = ForwardPass.trainingSample(spec.seed(), step);
      NDArray embedding1 = online.encoder().forward(view1, pass);
      NDArray embedding2 = online.encoder().forward(view2, pass);
      NDArray prediction1 = predict(embedding1, pass);
      NDArray prediction2 = predict(embedding2, pass);

      NDArray byol = ByolLoss.symmetrised(prediction1, target2, prediction2, target1);
      NDArray klSum = klSum();
      NDArray objective = klSum == null ? byol : byol.add(Scalars.times(klSum, klWeight / trainingImages));
      collector.backward(objective);

      return values(byol, klSum, objective, embedding1);
    }
  }

  private StepValues supervised(NDArray images, NDArray oneHotLabels, long step, double klWeight) {
    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
      ForwardPass pass = ForwardPass.trainingSample(spec.seed(), step);
      NDArray embedding = online.encoder().forward(images, pass);
      NDArray logits = online.classifier().forward(embedding, pass);

      NDArray crossEntropy = logits.logSoftmax(1).mul(oneHotLabels).sum(new int[] {1}).neg().mean();
      NDArray klSum = klSum();
      NDArray objective = klSum == null
          ? crossEntropy
          : crossEntropy.add(Scalars.times(klSum, klWeight / trainingImages));
      collector.backward(objective);

      return values(crossEntropy, klSum, objective, embedding);
    }
  }

  private StepValues values(NDArray dataLoss, NDArray klSum, NDArray objective,
      NDArray embedding) {
    double data = dataLoss.getFloat();
    double klPerExample = klSum == null ? 0.0 : klSum.getFloat() / trainingImages;
    double total = objective.getFloat();
    if (!Double.isFinite(total)) {
      throw new IllegalStateException("The training objective became " + total + " (data loss "
          + data + ", KL per example " + klPerExample + "); lower learningRate or klWeight");
    }
    return new StepValues(data, klPerExample, total, CollapseSignal.meanStd(embedding));
  }

  private NDArray predict(NDArray embedding, ForwardPass pass) {
    return online.predictor().forward(online.projector().forward(embedding, pass), pass);
  }

  /** Returns the target's projection of {@code view}, computed without a gradient tape. */
  private NDArray targetProjection(NDArray view) {
    ForwardPass pass = ForwardPass.targetPass();
    NDArray embedding = target.encoder().forward(view, pass);
    return target.projector().forward(embedding, pass).stopGradient();
  }

  /** Returns the KL summed over every Bayesian layer (a scalar), or null when there is none. */
  NDArray klSum() {
    List<BayesianLayer> layers = online.bayesianLayers();
    NDArray sum = null;
    for (int i = 0; i < layers.size(); i++) {
      Posterior teacher = target == null ? null : target.bayesianLayers().get(i).posterior();
      NDArray kl = prior.kl(layers.get(i).posterior(), teacher);
      sum = sum == null ? kl : sum.add(kl);
    }
    return sum;
  }

  private NDArray labels(NDManager stepManager, int[] batch) {
    int[] labels = new int[batch.length];
    for (int i = 0; i < batch.length; i++) {
      labels[i] = trainSet.labels()[batch[i]];
    }
    return stepManager.create(labels).oneHot(trainSet.classNames().size());
  }
}
