package org.byov.inference.models;

import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loaded model version with a reference count. The catalog holds one reference while the model
 * is current; every request holds one from {@link #tryAcquire()} until its reply is computed. When
 * the catalog retires the model and the last request releases it, its arrays are freed.
 */
public final class ServingModel {

  private static final Logger log = LoggerFactory.getLogger(ServingModel.class);

  private final ModelVersionInfo info;
  private final InputContract contract;
  private final ServingNetwork network;
  private final PredictionHead head;
  private final AtomicInteger references = new AtomicInteger(1);

  public ServingModel(ModelVersionInfo info, InputContract contract, ServingNetwork network,
      PredictionHead head) {
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
    if (remaining == 0) {
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
   * The prediction head: the model's own classifier or a linear probe, or null for a model that
   * serves embeddings only.
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
