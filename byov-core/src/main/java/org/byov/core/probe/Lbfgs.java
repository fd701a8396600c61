package org.byov.core.probe;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Limited-memory BFGS minimiser (Nocedal and Wright, "Numerical Optimization", 2nd ed.,
 * algorithm 7.4 for the two-loop recursion) with a backtracking line search on the Armijo
 * condition. Sufficient for the smooth convex loss of the linear probe.
 */
final class Lbfgs {

  /** Function value and gradient of the objective. */
  interface Objective {
    /** Returns f(x) and writes the gradient at x into {@code gradient}. */
    double evaluate(double[] x, double[] gradient);
  }

  /**
   * Outcome of a minimisation.
   *
   * @param loss objective value at the returned point
   * @param iterations L-BFGS iterations done
   * @param evaluations objective evaluations done, line search included
   * @param gradientNorm max-norm of the gradient at the returned point
   * @param converged whether a stopping criterion was met before the iteration limit
   */
  record Result(double loss, int iterations, int evaluations, double gradientNorm,
      boolean converged) {}

  private static final int MEMORY = 10;
  private static final double ARMIJO = 1e-4;
  private static final int MAX_LINE_SEARCH_STEPS = 40;
  /** Relative decrease of f below which an iteration counts as stalled. */
  private static final double RELATIVE_DECREASE_TOLERANCE = 1e-12;

  private Lbfgs() {}

  /**
   * Minimises {@code objective} starting at {@code x}, which is updated in place. Stops when the
   * gradient's max-norm is at most {@code gradientTolerance}, when an iteration decreases f by
   * less than 1e-12 relative to |f|, or after {@code maxIterations}.
   */
  static Result minimize(
      Objective objective, double[] x, int maxIterations, double gradientTolerance) {
    int n = x.length;
    double[] gradient = new double[n];
    double loss = objective.evaluate(x, gradient);
    int evaluations = 1;
    Deque<double[][]> history = new ArrayDeque<>();

    double[] direction = new double[n];
    double[] candidate = new double[n];
    double[] candidateGradient = new double[n];
    for (int iteration = 0; iteration < maxIterations; iteration++) {
      double gradientNorm = maxNorm(gradient);
      if (gradientNorm <= gradientTolerance) {
        return new Result(loss, iteration, evaluations, gradientNorm, true);
      }

      searchDirection(gradient, history, direction);
      double slope = dot(direction, gradient);
      if (!(slope < 0)) {
        // The curvature pairs no longer give a descent direction, so restart from the gradient.
        history.clear();
        searchDirection(gradient, history, direction);
        slope = dot(direction, gradient);
      }
      double step = history.isEmpty() ? Math.min(1, 1 / Math.sqrt(dot(gradient, gradient))) : 1;

      double candidateLoss = Double.NaN;
      boolean accepted = false;
      for (int attempt = 0; attempt < MAX_LINE_SEARCH_STEPS; attempt++) {
        for (int j = 0; j < n; j++) {
          candidate[j] = x[j] + step * direction[j];
        }
        candidateLoss = objective.evaluate(candidate, candidateGradient);
        evaluations++;
        if (candidateLoss <= loss + ARMIJO * step * slope) {
          accepted = true;
          break;
        }
        step *= 0.5;
      }
      if (!accepted) {
        return new Result(loss, iteration, evaluations, gradientNorm, false);
      }

      double[] s = new double[n];
      double[] y = new double[n];
      for (int j = 0; j < n; j++) {
        s[j] = candidate[j] - x[j];
        y[j] = candidateGradient[j] - gradient[j];
      }
      if (dot(s, y) > 1e-12 * Math.sqrt(dot(s, s) * dot(y, y))) {
        history.addLast(new double[][] {s, y});
        if (history.size() > MEMORY) {
          history.removeFirst();
        }
      }

      double decrease = loss - candidateLoss;
      System.arraycopy(candidate, 0, x, 0, n);
      System.arraycopy(candidateGradient, 0, gradient, 0, n);
      loss = candidateLoss;
      if (decrease <= RELATIVE_DECREASE_TOLERANCE * Math.max(1, Math.abs(loss))) {
        return new Result(loss, iteration + 1, evaluations, maxNorm(gradient), true);
      }
    }
    return new Result(loss, maxIterations, evaluations, maxNorm(gradient), false);
  }

  /** Writes -H g into {@code direction}, where H approximates the inverse Hessian. */
  private static void searchDirection(
      double[] gradient, Deque<double[][]> history, double[] direction) {
    int n = gradient.length;
    for (int j = 0; j < n; j++) {
      direction[j] = -gradient[j];
    }
    if (history.isEmpty()) {
      return;
    }
    double[] alphas = new double[history.size()];
    double[][][] pairs = history.toArray(new double[0][][]);
    for (int m = pairs.length - 1; m >= 0; m--) {
      double[] s = pairs[m][0];
      double[] y = pairs[m][1];
      alphas[m] = dot(s, direction) / dot(y, s);
      axpy(-alphas[m], y, direction);
    }
    double[] lastS = pairs[pairs.length - 1][0];
    double[] lastY = pairs[pairs.length - 1][1];
    double scale = dot(lastS, lastY) / dot(lastY, lastY);
    for (int j = 0; j < n; j++) {
      direction[j] *= scale;
    }
    for (int m = 0; m < pairs.length; m++) {
      double[] s = pairs[m][0];
      double[] y = pairs[m][1];
      double beta = dot(y, direction) / dot(y, s);
      axpy(alphas[m] - beta, s, direction);
    }
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int j = 0; j < a.length; j++) {
      sum += a[j] * b[j];
    }
    return sum;
  }

  private static void axpy(double alpha, double[] x, double[] y) {
    for (int j = 0; j < x.length; j++) {
      y[j] += alpha * x[j];
    }
  }

  private static double maxNorm(double[] v) {
    double max = 0;
    for (double value : v) {
      max = Math.max(max, Math.abs(value));
    }
    return max;
  }
}
