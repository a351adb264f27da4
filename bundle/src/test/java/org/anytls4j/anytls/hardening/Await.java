package org.anytls4j.anytls.hardening;

import io.netty.channel.EventLoopGroup;
import org.anytls4j.testkit.BoundedWait;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waits for a state that an event loop reaches asynchronously (a pool hand-back, a server-side close).
 * Between checks it waits for a task on the event loop, never a bare sleep.
 */
final class Await {
    private Await() {
    }

    static void until(EventLoopGroup loops, Duration bound, BooleanSupplier condition, Supplier<String> describe) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + bound.toMillis() + " ms: " + describe.get());
            }
            BoundedWait.done(loops.next().schedule(() -> { }, 10, TimeUnit.MILLISECONDS));
        }
    }
}
