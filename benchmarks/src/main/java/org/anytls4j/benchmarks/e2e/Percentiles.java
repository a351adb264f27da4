package org.anytls4j.benchmarks.e2e;

import java.util.Arrays;
import java.util.List;

/** Nearest-rank percentiles and medians. */
final class Percentiles {
    private Percentiles() {
    }

    /** The {@code p}-th percentile (0 < p <= 100) of {@code values} by nearest rank. */
    static double of(long[] values, double p) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values to take the " + p + "th percentile of");
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
