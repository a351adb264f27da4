package org.anytls4j.anytls.session;

import io.netty.util.AttributeKey;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.anytls4j.transport.api.TransportException;

/**
 * An open waiting for its SYNACK, or for proof that the server is v1: the promise the opener holds and the one timer
 * that watches it. Every way an open ends goes through {@link #take} so that the timer is cancelled exactly once.
 */
final class PendingOpen {
    private static final AttributeKey<PendingOpen> KEY = AttributeKey.valueOf(PendingOpen.class, "pendingOpen");

    final AnyTlsStreamChannel stream;
    final Promise<AnyTlsStream> promise;
    /** What the timer checks when it fires: the open deadline and the liveness or version deadline. */
    long openTimeoutNanos;
    long openDeadlineNanos = Long.MAX_VALUE;
    long watchDeadlineNanos = Long.MAX_VALUE;
    /** Frames received when the SYN left; a reused session's watchdog compares against it. */
    long framesAtOpen;
    /** Whether the open watches a reused session's liveness; the session is dead if silent until {@link #livenessEndNanos}. */
    boolean livenessProbe;
    long livenessEndNanos = Long.MAX_VALUE;
    /** Whether the HeartRequest of the liveness watch went out (only after a quiet spell). */
    boolean probeSent;
    ScheduledFuture<?> timer;

    private PendingOpen(AnyTlsStreamChannel stream, Promise<AnyTlsStream> promise) {
        this.stream = stream;
        this.promise = promise;
    }

    static PendingOpen attach(AnyTlsStreamChannel stream, Promise<AnyTlsStream> promise) {
        PendingOpen pending = new PendingOpen(stream, promise);
        stream.attr(KEY).set(pending);
        return pending;
    }

    /** The open (or an early-data open's confirmation) still waiting on {@code stream}, now detached from it with its timer cancelled; null if none. */
    static PendingOpen take(AnyTlsStreamChannel stream) {
        PendingOpen pending = stream.attr(KEY).getAndSet(null);
        if (pending != null && pending.timer != null) {
            pending.timer.cancel(false);
        }
        return pending;
    }

    boolean isWaiting() {
        return stream.attr(KEY).get() == this;
    }

    long nextDeadlineNanos() {
        return Math.min(openDeadlineNanos, watchDeadlineNanos);
    }

    /** Fails the open; the caller closes the stream. */
    static boolean fail(AnyTlsStreamChannel stream, TransportException cause) {
        PendingOpen pending = take(stream);
        return pending != null && pending.promise.tryFailure(cause);
    }
}
