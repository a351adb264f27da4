package org.anytls4j.anytls.client.pool;

/** The pool's only source of time, so that tests can drive it. */
@FunctionalInterface
public interface PoolClock {

    /** A monotonic time in nanoseconds, with the meaning of {@link System#nanoTime()}. */
    long nanoTime();

    /** The clock of the running JVM. */
    static PoolClock system() {
        return System::nanoTime;
    }
}
