package org.anytls4j.anytls.client.pool;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Dials {@link FakeSession}s named {@code s<sequence>}. In immediate mode dials succeed at once; otherwise each
 * dial waits in {@link #pending()} until the test completes it.
 */
final class FakeDialer implements SessionDialer<FakeSession> {

    /** Everything that happened to sessions, in order: "dial N", "close sN CAUSE". */
    final List<String> log = new CopyOnWriteArrayList<>();
    private final List<PendingDial> pending = new CopyOnWriteArrayList<>();
    private final List<FakeSession> sessions = new CopyOnWriteArrayList<>();
    private volatile boolean immediate;
    private volatile RuntimeException failure;

    static FakeDialer immediate() {
        FakeDialer dialer = new FakeDialer();
        dialer.immediate = true;
        return dialer;
    }

    static FakeDialer manual() {
        return new FakeDialer();
    }

    /** Makes every following immediate dial fail with {@code error} ({@code null} to succeed again). */
    void failWith(RuntimeException error) {
        failure = error;
    }

    @Override
    public CompletionStage<FakeSession> dial(long sequence) {
        log.add("dial " + sequence);
        if (immediate) {
            RuntimeException error = failure;
            return error != null ? CompletableFuture.failedFuture(error) : CompletableFuture.completedFuture(newSession(sequence));
        }
        PendingDial dial = new PendingDial(sequence, new CompletableFuture<>());
        pending.add(dial);
        return dial.future();
    }

    private FakeSession newSession(long sequence) {
        FakeSession session = new FakeSession("s" + sequence, log);
        sessions.add(session);
        return session;
    }

    /** Dials not yet completed by the test, oldest first. */
    List<PendingDial> pending() {
        return pending.stream().filter(dial -> !dial.future().isDone()).toList();
    }

    /** Completes the oldest pending dial with a new session and returns it. */
    FakeSession succeedNext() {
        PendingDial dial = pending().get(0);
        FakeSession session = newSession(dial.sequence());
        dial.future().complete(session);
        return session;
    }

    void failNext(Throwable error) {
        pending().get(0).future().completeExceptionally(error);
    }

    /** Every session dialed so far, in dial-completion order. */
    List<FakeSession> sessions() {
        return sessions;
    }

    FakeSession session(String name) {
        return sessions.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no session " + name + " among " + sessions));
    }

    record PendingDial(long sequence, CompletableFuture<FakeSession> future) {
    }
}
