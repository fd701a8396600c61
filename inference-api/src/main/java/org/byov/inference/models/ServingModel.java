package org.byov.inference.models;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded model version with a reference count. The catalog holds one reference while the model
 * is current; every request holds one from {@link #tryAcquire()} until its reply is computed. When
 * the catalog retires the model and the last request releases it, its arrays are freed.
 *
 * <p>A re-evaluation of the version gives a new model through {@link #withEvaluation} that shares
 * the network. The network then has one owner per model that shares it, and its arrays are freed
 * when the last of those models is released.
 */
public final class ServingModel {

  private static final Logger log = LoggerFactory.getLogger(ServingModel.class);

  private final ModelVersionInfo info;
  private final InputContract contract;
  private final ServingNetwork network;
  private final PredictionHead head;
  private final AtomicInteger references = new AtomicInteger(1);
  /** Models that share {@link #network}, counted until each has released its last reference. */
  private final AtomicInteger networkOwners;

  public ServingModel(ModelVersionInfo info, InputContract contract, ServingNetwork network,
      PredictionHead head) {
    this(info, contract, network, head, new AtomicInteger(1));
  }

  private ServingModel(ModelVersionInfo info, InputContract contract, ServingNetwork network,
      PredictionHead head, AtomicInteger networkOwners) {
    if (head != null && head.embeddingDim() != network.embeddingDim()) {
      throw new IllegalArgumentException("The " + head.kind() + " head expects embeddings of"
          + " dimension " + head.embeddingDim() + " but the encoder produces "
          + network.embeddingDim());
    }
    if (head != null && !contract.classNames().isEmpty()
        && contract.classNames().size() != head.classes()) {
      throw new IllegalArgumentException("The input contract names " + contract.classNames().size()
          + " classes but the " + head.kind() + " head has " + head.classes());
    }
    this.info = info;
    this.contract = contract;
    this.network = network;
    this.head = head;
    this.networkOwners = networkOwners;
  }

  /**
   * Creates a model of the same version and network with another evaluation's description
   * (abstain threshold, evaluation id) and prediction head. The network is not copied.
   *
   * @throws IllegalArgumentException if the head does not fit the network or the input contract
   * @throws IllegalStateException if this model was already freed
   */
  public ServingModel withEvaluation(ModelVersionInfo evaluated, PredictionHead evaluatedHead) {
    if (!evaluated.name().equals(info.name()) || evaluated.version() != info.version()) {
      throw new IllegalArgumentException("An evaluation of " + evaluated.name() + " version "
          + evaluated.version() + " cannot be applied to " + info.name() + " version "
          + info.version());
    }
    // The reference keeps the network open until the new owner is counted.
    if (!tryAcquire()) {
      throw new IllegalStateException("Model " + info.name() + " version " + info.version()
          + " was already freed");
    }
    try {
      networkOwners.incrementAndGet();
      try {
        return new ServingModel(evaluated, contract, network, evaluatedHead, networkOwners);
      } catch (RuntimeException e) {
        networkOwners.decrementAndGet();
        throw e;
      }
    } finally {
      release();
    }
  }

  /** Takes a reference for one request; false once the model is retired and freed. */
  public boolean tryAcquire() {
    while (true) {
      int current = references.get();
      if (current == 0) {
        return false;
      }
      if (references.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  /** Returns a reference; the last one frees the model's arrays. */
  public void release() {
    int remaining = references.decrementAndGet();
    if (remaining == 0 && networkOwners.decrementAndGet() == 0) {
      network.close();
      log.info("Closed model {} version {}", info.name(), info.version());
    } else if (remaining < 0) {
      throw new IllegalStateException("Model " + info.name() + " released more often than acquired");
    }
  }

  public ModelVersionInfo info() {
    return info;
  }

  public InputContract contract() {
    return contract;
  }

  public ServingNetwork network() {
    return network;
  }

  /**
   * Returns the prediction head: the model's own classifier or a linear probe, or null for a model
   * that serves embeddings only.
   */
  public PredictionHead head() {
    return head;
  }

  /** Class name of label {@code k}, or its index as text when the contract names no classes. */
  public String className(int k) {
    return k < contract.classNames().size() ? contract.classNames().get(k) : Integer.toString(k);
  }

  /** Current reference count, for tests and diagnostics. */
  int references() {
    return references.get();
  }
}
