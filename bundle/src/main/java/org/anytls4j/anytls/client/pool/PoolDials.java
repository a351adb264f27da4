package org.anytls4j.anytls.client.pool;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The dials in flight, the sequence numbers they take, and warming: which dials to start and how to start one.
 * What a completed dial means for the pool stays with the pool. Guarded by the pool's lock, except
 * {@link #start}, which runs without it.
 */
final class PoolDials<S extends PooledSession> {
    private static final System.Logger LOG = System.getLogger(SessionPool.class.getName());

    private final SessionDialer<S> dialer;
    private final Set<PendingDial<S>> inFlight = new HashSet<>();
    private final WarmKeeper warming = new WarmKeeper();
    private long lastSequence;

    PoolDials(SessionDialer<S> dialer) {
        this.dialer = Objects.requireNonNull(dialer, "dialer");
    }

    int inFlight() {
        return inFlight.size();
    }

    /** A dial for an acquire waiting on {@code waiting}. */
    PendingDial<S> forAcquire(CompletableFuture<Lease<S>> waiting, Object placement) {
        PendingDial<S> dial = new PendingDial<>(++lastSequence, waiting, placement, false);
        inFlight.add(dial);
        return dial;
    }

    /** A background dial of a session for {@code placement}, unless one is already in flight; null then. */
    PendingDial<S> forPlacement(Object placement) {
        for (PendingDial<S> dial : inFlight) {
            if (placement.equals(dial.placement)) {
                return null;
            }
        }
        PendingDial<S> dial = new PendingDial<>(++lastSequence, null, placement, false);
        inFlight.add(dial);
        return dial;
    }

    /** The warm dials to start now (see {@link WarmKeeper#shortfall}). */
    List<PendingDial<S>> warmShortfall(PoolOptions options, boolean fromCleanup, int idle, int live) {
        int shortfall = warming.shortfall(options, fromCleanup, idle, live, inFlight.size());
        List<PendingDial<S>> started = new ArrayList<>(shortfall);
        for (int i = 0; i < shortfall; i++) {
            PendingDial<S> dial = new PendingDial<>(++lastSequence, null, null, true);
            inFlight.add(dial);
            warming.dialStarted();
            started.add(dial);
        }
        return started;
    }

    /** The dial completed, either way. */
    void ended(PendingDial<S> dial) {
        inFlight.remove(dial);
        if (dial.isWarm()) {
            warming.dialEnded();
        }
    }

    void warmingSwitchedOn() {
        warming.resume();
    }

    /**
     * A dial failed: a warm one pauses warming (unless the pool is shut down), and the acquire waiting for any
     * other fails with {@code DIAL_FAILED}.
     */
    void failed(PendingDial<S> dial, Throwable error, boolean shutDown, PoolCounters counters,
                PoolActions<S> actions) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (dial.isWarm()) {
            if (!shutDown) {
                warming.pause();
                // The cause's text is enough at WARNING; repeated every tick while the server is down.
                LOG.log(System.Logger.Level.WARNING, "warm dial of session #" + dial.sequence + " failed ("
                        + cause + "); warming resumes at the next cleanup");
            }
        } else if (dial.isBackground()) {
            LOG.log(System.Logger.Level.DEBUG, "placement dial of session #" + dial.sequence + " failed (" + cause
                    + ")");
        } else if (!dial.settled) {
            dial.settled = true;
            counters.acquireFailed();
            actions.fail(dial.waiting, new PoolException(PoolException.Kind.DIAL_FAILED,
                    "dialing session #" + dial.sequence + " failed: " + cause, cause));
        }
    }

    /** The pool closed: every acquire still waiting for a dial fails with {@code SHUT_DOWN}. */
    void failWaitingOnShutdown(PoolCounters counters, PoolActions<S> actions) {
        for (PendingDial<S> dial : inFlight) {
            if (!dial.isBackground() && !dial.settled) {
                dial.settled = true;
                counters.acquireFailed();
                actions.fail(dial.waiting, new PoolException(PoolException.Kind.SHUT_DOWN,
                        "session pool closed while dialing session #" + dial.sequence));
            }
        }
    }

    /** Starts the dial; called without the pool's lock, since the dialer is foreign code. */
    CompletionStage<S> start(PendingDial<S> dial) {
        return Objects.requireNonNull(dialer.dial(dial.sequence, dial.placement),
                () -> "dialer returned null for session #" + dial.sequence);
    }
}
