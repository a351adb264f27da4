package org.anytls4j.group.core;

import java.time.Instant;

/** The group's only source of time, so that strategy and health logic can be tested on a timeline. */
public interface GroupClock {
    /** A monotonic time in nanoseconds, with the meaning of {@link System#nanoTime()}. */
    long nanoTime();

    /** The wall-clock time, for reports. */
    Instant now();

    /** The clock of the running JVM. */
    static GroupClock system() {
        return new GroupClock() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public Instant now() {
                return Instant.now();
            }
        };
    }
}
