import java.util.Arrays;
import java.util.Locale;

/** Latency samples in nanoseconds, summarised as one key=value line in milliseconds. */
final class Quantiles {
    /** Samples above this count as stalls: a delayed ACK on Linux holds for at least 40 ms. */
    private static final long STALL_NANOS = 30_000_000L;

    private long[] samples = new long[64];
    private int size;

    void add(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    String summary(String label) {
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        long stalls = Arrays.stream(sorted).filter(s -> s > STALL_NANOS).count();
        return String.format(Locale.ROOT, "%s p50=%.3f p90=%.3f p99=%.3f max=%.3f n=%d over30ms=%d", label,
                ms(at(sorted, 0.50)), ms(at(sorted, 0.90)), ms(at(sorted, 0.99)), ms(sorted[size - 1]), size, stalls);
    }

    /** The same rank rule as loadgen's: index floor(p * (n - 1)). */
    private static long at(long[] sorted, double p) {
        return sorted[(int) (p * (sorted.length - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
