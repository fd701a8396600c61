package org.byov.core.metrics;

/**
 * One bin of a reliability diagram: the examples whose confidence lies in {@code (lower, upper]}
 * (the first bin also holds confidence 0).
 *
 * @param index bin index, 0-based
 * @param lower lower edge, exclusive except for the first bin
 * @param upper upper edge, inclusive
 * @param count number of examples in the bin
 * @param meanConfidence mean confidence of the examples in the bin, or {@code null} when empty
 * @param accuracy fraction of the bin's examples whose outcome is positive (for top-label bins:
 *     correctly classified), or {@code null} when empty
 */
public record ReliabilityBin(
    int index, double lower, double upper, int count, Double meanConfidence, Double accuracy) {

  /** Returns |accuracy - mean confidence|, or 0 for an empty bin, which has no weight in ECE. */
  public double gap() {
    return count == 0 ? 0 : Math.abs(accuracy - meanConfidence);
  }
}
