package org.byov.core.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.byov.core.data.StratifiedSplit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Multinomial logistic regression on frozen embeddings, the standard linear evaluation of a
 * self-supervised encoder. Features are standardised with the training set's mean and standard
 * deviation, the L2 strength is chosen from a grid by accuracy on a stratified validation split
 * held out from the training set (each strength fitted on a sample of at most
 * {@link #SEARCH_ROWS} rows of the training part), and the model is then refitted on the whole
 * training set with that strength. The loss is minimised by full-batch L-BFGS ({@link Lbfgs}).
 *
 * <p>The fitted model is stored in raw feature space, with the standardisation folded in:
 * {@code logits = W x + b} with W {@code [K][D]} and b {@code [K]}, so that a serving head applies
 * it to the raw mean embedding.
 */
public final class LinearProbe {

  /** Version of the JSON file that {@link #save} writes. */
  public static final int FILE_VERSION = 1;

  static final String FILE_FORMAT = "byov-linear-probe";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Training rows that each fit of the L2 search uses, so that the search costs the same for any
   * training set size. The chosen strength is then refitted on all rows.
   *
   * <p>NOTE: that a 10,000-row sample ranks the strengths as all rows would is an assumption, not
   * measured.
   */
  static final int SEARCH_ROWS = 10_000;

  /**
   * Iteration limit of each fit of the L2 search. The fits start from the previous strength's
   * solution and only need to rank the strengths. The final fit on all rows runs to convergence.
   */
  static final int SEARCH_ITERATIONS = 100;

  private final double[][] weights;
  private final double[] bias;
  private final double l2;
  private final List<GridPoint> grid;
  private final FitSummary fit;

  /**
   * Training settings.
   *
   * @param l2Grid L2 strengths to try, per example (the loss is a mean over examples); the fit
   *     tries them in the given order and, on equal validation accuracy, keeps the earlier one
   * @param validationFraction fraction of each class held out to choose the L2 strength, in (0, 1)
   * @param seed seed of the stratified split
   * @param maxIterations L-BFGS iteration limit per fit; the fits of the L2 search stop after
   *     at most 100
   * @param gradientTolerance stop when the max-norm of the gradient of the mean loss is at most
   *     this
   * @param threads threads that evaluate the loss, at least 1
   */
  public record Options(
      List<Double> l2Grid,
      double validationFraction,
      long seed,
      int maxIterations,
      double gradientTolerance,
      int threads) {

    /** Default strengths, strongest first, so that each fit starts from the previous solution. */
    public static final List<Double> DEFAULT_L2_GRID = List.of(1e-2, 1e-3, 1e-4, 1e-5, 1e-6);

    public Options {
      l2Grid = List.copyOf(l2Grid);
      if (l2Grid.isEmpty()) {
        throw new IllegalArgumentException("l2Grid is empty; give at least one L2 strength");
      }
      for (double l2 : l2Grid) {
        if (!(l2 >= 0) || Double.isInfinite(l2)) {
          throw new IllegalArgumentException(
              "l2Grid contains " + l2 + "; expected finite values >= 0");
        }
      }
      if (!(validationFraction > 0 && validationFraction < 1)) {
        throw new IllegalArgumentException(
            "validationFraction is " + validationFraction + "; expected a value in (0, 1)");
      }
      if (maxIterations < 1) {
        throw new IllegalArgumentException(
            "maxIterations is " + maxIterations + "; expected at least 1");
      }
      if (!(gradientTolerance > 0)) {
        throw new IllegalArgumentException(
            "gradientTolerance is " + gradientTolerance + "; expected a value > 0");
      }
      if (threads < 1) {
        throw new IllegalArgumentException("threads is " + threads + "; expected at least 1");
      }
    }

    /**
     * Returns the defaults: the L2 grid 1e-2 to 1e-6, 10% validation, seed 0, 500 iterations,
     * gradient tolerance 1e-4 (scikit-learn's default {@code tol} for its L-BFGS solver) and 2
     * threads.
     */
    public static Options defaults() {
      return new Options(DEFAULT_L2_GRID, 0.1, 0L, 500, 1e-4, 2);
    }

    /** Returns these options with another seed. */
    public Options withSeed(long newSeed) {
      return new Options(l2Grid, validationFraction, newSeed, maxIterations, gradientTolerance,
          threads);
    }

    /** Returns these options with another L-BFGS iteration limit. */
    public Options withMaxIterations(int newMaxIterations) {
      return new Options(l2Grid, validationFraction, seed, newMaxIterations, gradientTolerance,
          threads);
    }

    /** Returns these options with another thread count. */
    public Options withThreads(int newThreads) {
      return new Options(l2Grid, validationFraction, seed, maxIterations, gradientTolerance,
          newThreads);
    }
  }

  /**
   * Validation result of one L2 strength.
   *
   * @param l2 L2 strength
   * @param validationAccuracy accuracy on the held-out validation split
   * @param iterations L-BFGS iterations of its fit on the training part
   */
  public record GridPoint(double l2, double validationAccuracy, int iterations) {}

  /**
   * Outcome of the final fit on the whole training set.
   *
   * @param loss regularised mean loss at the solution
   * @param iterations L-BFGS iterations
   * @param gradientNorm max-norm of the gradient at the solution
   * @param converged whether a stopping criterion was met before the iteration limit
   */
  public record FitSummary(double loss, int iterations, double gradientNorm, boolean converged) {}

  private LinearProbe(
      double[][] weights, double[] bias, double l2, List<GridPoint> grid, FitSummary fit) {
    this.weights = weights;
    this.bias = bias;
    this.l2 = l2;
    this.grid = List.copyOf(grid);
    this.fit = fit;
  }

  /**
   * Trains a probe, choosing the L2 strength on a validation split held out from the training set.
   *
   * @param features training embeddings {@code [N][D]}
   * @param labels class of each embedding, in {@code [0, classes)}
   * @param classes number of classes K, at least 2
   */
  public static LinearProbe train(float[][] features, int[] labels, int classes, Options options) {
    return train(FeatureMatrix.of(features), labels, classes, options);
  }

  /** Trains a probe on double-precision embeddings {@code [N][D]}. */
  public static LinearProbe train(
      double[][] features, int[] labels, int classes, Options options) {
    return train(FeatureMatrix.of(features), labels, classes, options);
  }

  /**
   * Fits a probe with a fixed L2 strength on all examples, without a validation split.
   *
   * @param l2 L2 strength per example, at least 0. With 0 on separable classes the weights grow
   *     until the iteration limit, so use 0 only for classes that overlap.
   */
  public static LinearProbe fit(
      double[][] features, int[] labels, int classes, double l2, Options options) {
    FeatureMatrix matrix = FeatureMatrix.of(features);
    checkLabels(labels, matrix.rows(), classes);
    if (!(l2 >= 0) || Double.isInfinite(l2)) {
      throw new IllegalArgumentException("l2 is " + l2 + "; expected a finite value >= 0");
    }
    int[] all = allRows(matrix.rows());
    double[] parameters = new double[classes * matrix.dimension() + classes];
    try (Workers workers = new Workers(options.threads())) {
      Lbfgs.Result result =
          minimize(matrix, labels, all, classes, l2, parameters, options, workers.executor);
      return fromStandardised(matrix, classes, parameters, l2, List.of(), summary(result));
    }
  }

  private static LinearProbe train(
      FeatureMatrix matrix, int[] labels, int classes, Options options) {
    checkLabels(labels, matrix.rows(), classes);
    StratifiedSplit split =
        StratifiedSplit.of(labels, classes, options.validationFraction(), options.seed());
    if (split.validation().length == 0) {
      throw new IllegalArgumentException("The validation split is empty because no class has two "
          + "or more examples. Give more training examples");
    }
    int dimension = matrix.dimension();

    int[] searchRows = searchSubset(split.train(), options.seed());
    Options searchOptions = options.withMaxIterations(
        Math.min(options.maxIterations(), SEARCH_ITERATIONS));

    try (Workers workers = new Workers(options.threads())) {
      List<GridPoint> grid = new ArrayList<>();
      double[] parameters = new double[classes * dimension + classes];
      double[] bestParameters = null;
      double bestAccuracy = -1;
      double bestL2 = options.l2Grid().get(0);
      for (double l2 : options.l2Grid()) {
        Lbfgs.Result result = minimize(
            matrix, labels, searchRows, classes, l2, parameters, searchOptions, workers.executor);
        double accuracy =
            standardisedAccuracy(matrix, labels, split.validation(), classes, parameters);
        grid.add(new GridPoint(l2, accuracy, result.iterations()));
        if (accuracy > bestAccuracy) {
          bestAccuracy = accuracy;
          bestL2 = l2;
          bestParameters = parameters.clone();
        }
      }

      double[] finalParameters = bestParameters;
      Lbfgs.Result result = minimize(matrix, labels, allRows(matrix.rows()), classes, bestL2,
          finalParameters, options, workers.executor);
      return fromStandardised(matrix, classes, finalParameters, bestL2, grid, summary(result));
    }
  }

  /**
   * Returns at most {@link #SEARCH_ROWS} of {@code rows}, drawn without replacement by a seeded
   * shuffle and sorted, or all of them when there are fewer.
   */
  private static int[] searchSubset(int[] rows, long seed) {
    if (rows.length <= SEARCH_ROWS) {
      return rows;
    }
    int[] shuffled = rows.clone();
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = shuffled.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = swap;
    }
    int[] subset = Arrays.copyOf(shuffled, SEARCH_ROWS);
    Arrays.sort(subset);
    return subset;
  }

  private static Lbfgs.Result minimize(
      FeatureMatrix matrix, int[] labels, int[] rows, int classes, double l2, double[] parameters,
      Options options, ExecutorService executor) {
    SoftmaxObjective objective = new SoftmaxObjective(
        matrix.standardised(), labels, rows, matrix.dimension(), classes, l2, executor);
    return Lbfgs.minimize(
        objective::evaluate, parameters, options.maxIterations(), options.gradientTolerance());
  }

  private static double standardisedAccuracy(
      FeatureMatrix matrix, int[] labels, int[] rows, int classes, double[] parameters) {
    double[] logits = new double[classes];
    int correct = 0;
    for (int row : rows) {
      SoftmaxObjective.computeLogits(parameters, matrix.standardised(),
          row * matrix.dimension(), matrix.dimension(), logits);
      if (argmax(logits) == labels[row]) {
        correct++;
      }
    }
    return (double) correct / rows.length;
  }

  /** Folds the standardisation into the weights: W' = W / std, b' = b - W' mean. */
  private static LinearProbe fromStandardised(
      FeatureMatrix matrix, int classes, double[] parameters, double l2, List<GridPoint> grid,
      FitSummary fit) {
    int dimension = matrix.dimension();
    double[][] weights = new double[classes][dimension];
    double[] bias = new double[classes];
    for (int k = 0; k < classes; k++) {
      double shift = 0;
      for (int d = 0; d < dimension; d++) {
        weights[k][d] = parameters[k * dimension + d] / matrix.scale()[d];
        shift += weights[k][d] * matrix.mean()[d];
      }
      bias[k] = parameters[classes * dimension + k] - shift;
    }
    return new LinearProbe(weights, bias, l2, grid, fit);
  }

  private static FitSummary summary(Lbfgs.Result result) {
    return new FitSummary(
        result.loss(), result.iterations(), result.gradientNorm(), result.converged());
  }

  /** Returns the number of classes K. */
  public int classes() {
    return bias.length;
  }

  /** Returns the embedding dimension D. */
  public int dimension() {
    return weights[0].length;
  }

  /** Returns a copy of the weights {@code [K][D]} in raw feature space. */
  public double[][] weights() {
    double[][] copy = new double[weights.length][];
    for (int k = 0; k < weights.length; k++) {
      copy[k] = weights[k].clone();
    }
    return copy;
  }

  /** Returns a copy of the bias {@code [K]} in raw feature space. */
  public double[] bias() {
    return bias.clone();
  }

  /** Returns the L2 strength of the final fit. */
  public double l2() {
    return l2;
  }

  /** Returns the validation accuracy of each L2 strength tried, empty for {@link #fit}. */
  public List<GridPoint> grid() {
    return grid;
  }

  /** Returns the outcome of the final fit. */
  public FitSummary fitSummary() {
    return fit;
  }

  /** Returns the logits W x + b of one raw embedding {@code [D]}. */
  public double[] logits(float[] embedding) {
    requireDimension(embedding.length);
    double[] logits = new double[classes()];
    for (int k = 0; k < logits.length; k++) {
      double sum = bias[k];
      for (int d = 0; d < embedding.length; d++) {
        sum += weights[k][d] * embedding[d];
      }
      logits[k] = sum;
    }
    return logits;
  }

  /** Returns the logits W x + b of one raw embedding {@code [D]}. */
  public double[] logits(double[] embedding) {
    requireDimension(embedding.length);
    double[] logits = new double[classes()];
    for (int k = 0; k < logits.length; k++) {
      double sum = bias[k];
      for (int d = 0; d < embedding.length; d++) {
        sum += weights[k][d] * embedding[d];
      }
      logits[k] = sum;
    }
    return logits;
  }

  /** Returns the class probabilities {@code [N][K]} of raw embeddings {@code [N][D]}. */
  public double[][] predictProbabilities(float[][] embeddings) {
    double[][] probabilities = new double[embeddings.length][];
    for (int i = 0; i < embeddings.length; i++) {
      probabilities[i] = softmax(logits(embeddings[i]));
    }
    return probabilities;
  }

  /** Returns the class probabilities {@code [N][K]} of raw embeddings {@code [N][D]}. */
  public double[][] predictProbabilities(double[][] embeddings) {
    double[][] probabilities = new double[embeddings.length][];
    for (int i = 0; i < embeddings.length; i++) {
      probabilities[i] = softmax(logits(embeddings[i]));
    }
    return probabilities;
  }

  /** Returns the most probable class of each raw embedding, the lowest index on a tie. */
  public int[] predict(float[][] embeddings) {
    int[] predicted = new int[embeddings.length];
    for (int i = 0; i < embeddings.length; i++) {
      predicted[i] = argmax(logits(embeddings[i]));
    }
    return predicted;
  }

  /** Returns the most probable class of each raw embedding, the lowest index on a tie. */
  public int[] predict(double[][] embeddings) {
    int[] predicted = new int[embeddings.length];
    for (int i = 0; i < embeddings.length; i++) {
      predicted[i] = argmax(logits(embeddings[i]));
    }
    return predicted;
  }

  /**
   * Returns the top-1 accuracy on raw embeddings.
   *
   * @throws IllegalArgumentException if there are no embeddings or the label count differs
   */
  public double accuracy(float[][] embeddings, int[] labels) {
    return accuracyOf(predict(embeddings), labels);
  }

  /** Returns the top-1 accuracy on raw double-precision embeddings. */
  public double accuracy(double[][] embeddings, int[] labels) {
    return accuracyOf(predict(embeddings), labels);
  }

  /**
   * Writes the probe as JSON: format name, {@link #FILE_VERSION}, K, D, the L2 strength, the
   * weights and bias in raw feature space, the grid and the fit summary.
   */
  public void save(Path file) throws IOException {
    ProbeFile content = new ProbeFile(FILE_FORMAT, FILE_VERSION, classes(), dimension(), l2,
        weights, bias, grid, fit);
    try {
      Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(content));
    } catch (JacksonException e) {
      throw new IOException("Failed to write linear probe " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a probe written by {@link #save}.
   *
   * @throws IOException if the file is unreadable, of another format or version, or its arrays
   *     do not match the stated K and D
   */
  public static LinearProbe load(Path file) throws IOException {
    ProbeFile content;
    try {
      content = JSON.readValue(Files.readString(file), ProbeFile.class);
    } catch (JacksonException e) {
      throw new IOException("Invalid linear probe file " + file + ": " + e.getMessage(), e);
    }
    if (!FILE_FORMAT.equals(content.format())) {
      throw new IOException("Invalid linear probe file " + file + ": format is "
          + content.format() + ", expected " + FILE_FORMAT);
    }
    if (content.version() != FILE_VERSION) {
      throw new IOException("Unsupported linear probe file version " + content.version()
          + " in " + file + "; this build reads version " + FILE_VERSION);
    }
    content.requireConsistent(file);
    return new LinearProbe(content.weights(), content.bias(), content.l2(),
        content.grid() == null ? List.of() : content.grid(), content.fit());
  }

  /** JSON layout of a saved probe. */
  record ProbeFile(
      String format,
      int version,
      int classes,
      int dimension,
      double l2,
      double[][] weights,
      double[] bias,
      List<GridPoint> grid,
      FitSummary fit) {

    void requireConsistent(Path file) throws IOException {
      if (classes < 1 || dimension < 1 || weights == null || bias == null
          || weights.length != classes || bias.length != classes) {
        throw new IOException("Invalid linear probe file " + file + ": expected " + classes
            + " weight rows and bias entries for " + classes + " classes");
      }
      for (int k = 0; k < classes; k++) {
        if (weights[k] == null || weights[k].length != dimension) {
          throw new IOException("Invalid linear probe file " + file + ": weight row " + k
              + " does not have " + dimension + " entries");
        }
      }
    }
  }

  private void requireDimension(int length) {
    if (length != dimension()) {
      throw new IllegalArgumentException(
          "embedding has " + length + " dimensions but the probe expects " + dimension());
    }
  }

  private static double accuracyOf(int[] predicted, int[] labels) {
    if (predicted.length == 0 || labels.length != predicted.length) {
      throw new IllegalArgumentException("accuracy needs one label per embedding and at least one"
          + " embedding, got " + predicted.length + " embeddings and " + labels.length
          + " labels");
    }
    int correct = 0;
    for (int i = 0; i < labels.length; i++) {
      if (predicted[i] == labels[i]) {
        correct++;
      }
    }
    return (double) correct / labels.length;
  }

  static double[] softmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double logit : logits) {
      max = Math.max(max, logit);
    }
    double[] probabilities = new double[logits.length];
    double sum = 0;
    for (int k = 0; k < logits.length; k++) {
      probabilities[k] = Math.exp(logits[k] - max);
      sum += probabilities[k];
    }
    for (int k = 0; k < logits.length; k++) {
      probabilities[k] /= sum;
    }
    return probabilities;
  }

  static int argmax(double[] values) {
    int best = 0;
    for (int k = 1; k < values.length; k++) {
      if (values[k] > values[best]) {
        best = k;
      }
    }
    return best;
  }

  private static void checkLabels(int[] labels, int rows, int classes) {
    if (classes < 2) {
      throw new IllegalArgumentException("classes is " + classes + "; expected at least 2");
    }
    if (labels == null || labels.length != rows) {
      throw new IllegalArgumentException("expected one label per feature row (" + rows
          + "), got " + (labels == null ? "null" : labels.length));
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("labels[" + i + "] = " + labels[i]
            + " is outside the class range [0, " + classes + ")");
      }
    }
  }

  private static int[] allRows(int count) {
    int[] rows = new int[count];
    for (int i = 0; i < count; i++) {
      rows[i] = i;
    }
    return rows;
  }

  /** A fixed thread pool closed with the fit, or none for one thread. */
  private static final class Workers implements AutoCloseable {
    final ExecutorService executor;

    Workers(int threads) {
      executor = threads == 1 ? null : Executors.newFixedThreadPool(threads, runnable -> {
        Thread thread = new Thread(runnable, "linear-probe");
        thread.setDaemon(true);
        return thread;
      });
    }

    @Override
    public void close() {
      if (executor != null) {
        executor.shutdownNow();
      }
    }
  }
}
