package org.anytls4j.anytls.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Knows when a transport replaced by a configuration change may close: once every open it took (pending or with a
 * stream still open) has ended. Counts per transport, unlike the counters, which replacements share.
 */
final class TransportDrain {
    private final AtomicInteger inUse = new AtomicInteger();
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final Runnable close;
    private volatile boolean draining;

    /** @param close closes the transport; runs once, on the thread that ended the last open */
    TransportDrain(Runnable close) {
        this.close = close;
    }

    /** An open began. */
    void taken() {
        inUse.incrementAndGet();
    }

    /** An open failed, or the stream of a successful one closed. */
    void ended() {
        if (inUse.decrementAndGet() == 0) {
            closeIfDrained();
        }
    }

    /** Closes once nothing is in use any more (at once if nothing is); completes when closed. */
    CompletableFuture<Void> start() {
        draining = true;
        closeIfDrained();
        return drained;
    }

    /** The transport closed, drained or not. */
    void closed() {
        drained.complete(null);
    }

    private void closeIfDrained() {
        if (draining && inUse.get() == 0 && !drained.isDone()) {
            close.run();
        }
    }
}
