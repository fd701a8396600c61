package org.byov.core.bayes;

import ai.djl.ndarray.NDArray;

/**
 * A Gaussian prior over one Bayesian layer's weights and its KL term.
 *
 * @param kind the prior family
 * @param sigma the fixed prior sigma s of {@code standard-normal} and {@code teacher}; unused by
 *     {@code teacher-variance}
 */
public record Prior(PriorKind kind, double sigma) {

  public Prior {
    if (kind == null) {
      throw new IllegalArgumentException("prior must be set");
    }
    if (!(sigma > 0) || Double.isInfinite(sigma)) {
      throw new IllegalArgumentException("priorSigma must be positive and finite, got " + sigma);
    }
  }

  /**
   * Returns KL(online || prior) summed over the layer's weights, in nats.
   *
   * @param online the trained posterior
   * @param teacher the EMA target's posterior of the same layer; may be null for
   *     {@code standard-normal}. Its arrays carry no gradient, so the prior is a constant.
   */
  public NDArray kl(Posterior online, Posterior teacher) {
    NDArray mu = online.mu();
    switch (kind) {
      case STANDARD_NORMAL:
        return online.kl(mu.getManager().create(0f), mu.getManager().create((float) sigma));
      case TEACHER:
        requireTeacher(teacher);
        return online.kl(teacher.mu().stopGradient(), mu.getManager().create((float) sigma));
      case TEACHER_VARIANCE:
        requireTeacher(teacher);
        NDArray teacherSigma = teacher.sigma().stopGradient().maximum((float) Softplus.SIGMA_FLOOR);
        return online.kl(teacher.mu().stopGradient(), teacherSigma);
      default:
        throw new IllegalStateException("Unhandled prior " + kind);
    }
  }

  private void requireTeacher(Posterior teacher) {
    if (teacher == null) {
      throw new IllegalArgumentException(
          "The " + kind.label() + " prior needs an EMA teacher; use method byov or prior "
              + PriorKind.STANDARD_NORMAL.label());
    }
  }
}
