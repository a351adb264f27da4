package org.anytls4j.anytls.client.pool;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A pool clock that moves only when told to; starts at an arbitrary non-zero time to catch "0 means unset" bugs. */
final class FakeClock implements PoolClock {
    static final long START = 1_000_000_000_000L;

    private final AtomicLong now = new AtomicLong(START);

    @Override
    public long nanoTime() {
        return now.get();
    }

    void set(long nanos) {
        now.set(nanos);
    }

    /** Nanoseconds since {@link #START}, for readable timelines. */
    Duration elapsed() {
        return Duration.ofNanos(now.get() - START);
    }

    /** The clock time {@code offset} after {@link #START}. */
    static long at(Duration offset) {
        return START + offset.toNanos();
    }
}
