package org.byov.core.probe;

/**
 * Features copied into one row-major array {@code [N][D]} and standardised per dimension with
 * the mean and the population standard deviation of all rows. A constant dimension keeps scale 1,
 * so it becomes 0 and drops out.
 */
record FeatureMatrix(double[] standardised, int rows, int dimension, double[] mean,
    double[] scale) {

  static FeatureMatrix of(float[][] features) {
    int dimension = requireShape(features);
    double[] values = new double[features.length * dimension];
    for (int i = 0; i < features.length; i++) {
      for (int d = 0; d < dimension; d++) {
        values[i * dimension + d] = features[i][d];
      }
    }
    return standardise(values, features.length, dimension);
  }

  static FeatureMatrix of(double[][] features) {
    int dimension = requireShape(features);
    double[] values = new double[features.length * dimension];
    for (int i = 0; i < features.length; i++) {
      System.arraycopy(features[i], 0, values, i * dimension, dimension);
    }
    return standardise(values, features.length, dimension);
  }

  private static FeatureMatrix standardise(double[] values, int rows, int dimension) {
    for (int i = 0; i < values.length; i++) {
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException("feature row " + i / dimension + " has " + values[i]
            + " in dimension " + i % dimension + "; expected finite values");
      }
    }
    double[] mean = new double[dimension];
    for (int i = 0; i < rows; i++) {
      for (int d = 0; d < dimension; d++) {
        mean[d] += values[i * dimension + d];
      }
    }
    for (int d = 0; d < dimension; d++) {
      mean[d] /= rows;
    }
    double[] scale = new double[dimension];
    for (int i = 0; i < rows; i++) {
      for (int d = 0; d < dimension; d++) {
        double deviation = values[i * dimension + d] - mean[d];
        scale[d] += deviation * deviation;
      }
    }
    for (int d = 0; d < dimension; d++) {
      double std = Math.sqrt(scale[d] / rows);
      scale[d] = std > 1e-12 ? std : 1;
    }
    for (int i = 0; i < rows; i++) {
      for (int d = 0; d < dimension; d++) {
        values[i * dimension + d] = (values[i * dimension + d] - mean[d]) / scale[d];
      }
    }
    return new FeatureMatrix(values, rows, dimension, mean, scale);
  }

  private static int requireShape(Object[] features) {
    if (features == null || features.length == 0) {
      throw new IllegalArgumentException("features are empty; expected [N][D] with N >= 1");
    }
    int dimension = -1;
    for (int i = 0; i < features.length; i++) {
      if (features[i] == null) {
        throw new IllegalArgumentException("feature row " + i + " is missing (null)");
      }
      int length = java.lang.reflect.Array.getLength(features[i]);
      if (dimension < 0) {
        dimension = length;
      } else if (length != dimension) {
        throw new IllegalArgumentException("feature row " + i + " has " + length
            + " dimensions but row 0 has " + dimension);
      }
    }
    if (dimension == 0) {
      throw new IllegalArgumentException("feature rows have no dimensions; expected D >= 1");
    }
    return dimension;
  }
}
