package org.edgeha.benchmarks;

import java.util.Arrays;
import java.util.Locale;

/** Summary of one series of samples (nanoseconds): the median and p99 are what the report quotes. */
record Stats(int count, long median, long p99, long min, long max, double mean) {

    static Stats of(long[] samples) {
        long[] sorted = samples.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).average().orElse(0);
        return new Stats(sorted.length, percentile(sorted, 50), percentile(sorted, 99), sorted[0],
                sorted[sorted.length - 1], mean);
    }

    private static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** @return e.g. "41.2 µs" or "12.3 ms" */
    static String time(double nanos) {
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f µs", nanos / 1_000);
        }
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1_000_000);
    }
}
