package org.byov.trainer.runtime;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Prepares a thread other than the one that loaded the engine for training with byov-core.
 *
 * <p>PyTorch's autograd mode is thread-local and on by default. DJL 0.36 turns it off only on the
 * thread that loads the PyTorch engine, and a {@code GradientCollector} restores the mode it found.
 * On any other thread, updates that byov-core makes in place outside a collector (the optimiser
 * step, the EMA target) would then be recorded by autograd, and PyTorch rejects an in-place update
 * of a leaf that requires a gradient.
 */
public final class TrainingThread {

  private TrainingThread() {}

  /** Turns PyTorch's autograd mode off on the calling thread. */
  public static void prepareCurrentThread() {
    if ("PyTorch".equals(Engine.getInstance().getEngineName())) {
      JniUtils.setGradMode(false);
    }
  }
}
