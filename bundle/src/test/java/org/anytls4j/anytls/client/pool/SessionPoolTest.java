package org.anytls4j.anytls.client.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.anytls4j.anytls.client.pool.FakeClock.at;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pool timelines on a fake clock: every step happens at a stated time, nothing sleeps, nothing runs on its own. */
class SessionPoolTest {

    private static final Duration INTERVAL = Duration.ofSeconds(30);

    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private FakeDialer dialer = FakeDialer.immediate();
    private SessionPool<FakeSession> pool;

    @AfterEach
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    private SessionPool<FakeSession> newPool(PoolOptions options) {
        pool = new SessionPool<>(options, dialer, clock, scheduler);
        return pool;
    }

    private Lease<FakeSession> acquireNow() {
        CompletableFuture<Lease<FakeSession>> future = pool.acquire().toCompletableFuture();
        assertThat(future).as("acquire completed at once").isDone();
        return future.join();
    }

    private static PoolException failureOf(CompletionStage<?> stage) {
        CompletableFuture<?> future = stage.toCompletableFuture();
        assertThat(future).isCompletedExceptionally();
        Throwable thrown = catchJoin(future);
        assertThat(thrown).isInstanceOf(PoolException.class);
        return (PoolException) thrown;
    }

    private static Throwable catchJoin(CompletableFuture<?> future) {
        try {
            future.join();
        } catch (CompletionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failed future");
    }

    @Test
    void acquireTakesTheIdleSessionWithTheHighestSequenceNotTheLastReleased() {
        newPool(PoolOptions.defaults());
        Lease<FakeSession> one = acquireNow();
        Lease<FakeSession> two = acquireNow();
        Lease<FakeSession> three = acquireNow();
        assertThat(dialer.log).containsExactly("dial 1", "dial 2", "dial 3");
        assertThat(List.of(one.reused(), two.reused(), three.reused())).containsOnly(false);

        // Released out of order: the rewrite variant would hand out s2 (most recently released) next.
        three.release(true);
        one.release(true);
        two.release(true);

        Lease<FakeSession> first = acquireNow();
        Lease<FakeSession> second = acquireNow();
        Lease<FakeSession> third = acquireNow();
        Lease<FakeSession> fourth = acquireNow();
        assertThat(List.of(first, second, third, fourth)).extracting(lease -> lease.session().name())
                .containsExactly("s3", "s2", "s1", "s4");
        assertThat(List.of(first.reused(), second.reused(), third.reused(), fourth.reused()))
                .containsExactly(true, true, true, false);

        PoolStats stats = pool.stats();
        assertThat(stats.sessionsCreated()).isEqualTo(4);
        assertThat(stats.leasesGranted()).isEqualTo(7);
        assertThat(stats.leasesReused()).isEqualTo(3);
        assertThat(stats.reuseRatio()).isEqualTo(3.0 / 7);
        assertThat(stats.activeSessions()).isEqualTo(4);
        assertThat(stats.idleSessions()).isZero();
        assertThat(stats.totalSessionsClosed()).isZero();
    }

    @Test
    void releaseReturnsTheSessionToIdleWithIdleSinceNowAndOnlyTheFirstReleaseCounts() {
        newPool(PoolOptions.defaults());
        Lease<FakeSession> first = acquireNow();
        assertThat(pool.snapshot()).singleElement().satisfies(info -> {
            assertThat(info.sequence()).isEqualTo(1);
            assertThat(info.createdAtNanos()).isEqualTo(at(Duration.ZERO));
            assertThat(info.idleSinceNanos()).isEqualTo(-1);
            assertThat(info.leased()).isTrue();
            assertThat(info.leasesServed()).isEqualTo(1);
        });

        clock.set(at(Duration.ofSeconds(5)));
        first.release(true);
        assertThat(pool.snapshot()).singleElement().satisfies(info -> {
            assertThat(info.idleSinceNanos()).isEqualTo(at(Duration.ofSeconds(5)));
            assertThat(info.leased()).isFalse();
        });
        assertThat(pool.stats().idleSessions()).isEqualTo(1);
        assertThat(pool.stats().activeSessions()).isZero();

        Lease<FakeSession> second = acquireNow();
        assertThat(second.session()).isSameAs(first.session());
        // A late duplicate release of the first lease must not touch the session now leased by the second.
        first.release(false);
        assertThat(first.session().isClosed()).isFalse();
        assertThat(pool.snapshot()).singleElement().satisfies(info -> {
            assertThat(info.leased()).isTrue();
            assertThat(info.leasesServed()).isEqualTo(2);
        });
        assertThat(pool.stats().leasesReleasedUnhealthy()).isZero();
    }

    @Test
    void unhealthyReleaseClosesTheSessionWithError() {
        newPool(PoolOptions.defaults());
        Lease<FakeSession> lease = acquireNow();
        lease.release(false);

        assertThat(lease.session().closeCalls()).containsExactly(CloseCause.ERROR);
        PoolStats stats = pool.stats();
        assertThat(stats.totalSessions()).isZero();
        assertThat(stats.sessionsClosed(CloseCause.ERROR)).isEqualTo(1);
        assertThat(stats.leasesReleasedUnhealthy()).isEqualTo(1);
        assertThat(acquireNow().session().name()).isEqualTo("s2");
    }

    @Test
    void timerRunsOnlyWhileSomethingIsIdleAndCleanupReturnsTheDelayToItsNextRun() {
        newPool(PoolOptions.defaults());
        assertThat(pool.cleanup(clock.nanoTime())).as("nothing to watch").isEqualTo(-1);
        Lease<FakeSession> lease = acquireNow();
        assertThat(scheduler.pendingDelays()).as("a leased session needs no timer").isEmpty();

        lease.release(true);
        assertThat(scheduler.pendingDelays()).containsExactly(INTERVAL);
        assertThat(pool.cleanup(clock.nanoTime())).isEqualTo(INTERVAL.toNanos());

        // The idle session is taken: at its next run the timer finds nothing idle and stops.
        acquireNow();
        scheduler.advanceBy(INTERVAL);
        assertThat(scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void cleanupKeepsTheNewestMinIdleSessionsAndRefreshesTheirIdleSince() {
        newPool(PoolOptions.builder().minIdleSessions(2).build());
        List<Lease<FakeSession>> leases = List.of(acquireNow(), acquireNow(), acquireNow(), acquireNow());
        leases.forEach(lease -> lease.release(true)); // all idle since t=0

        // At 30 s and 60 s nothing has been idle for more than the 60 s timeout.
        scheduler.advanceTo(Duration.ofSeconds(60));
        assertThat(pool.stats().idleSessions()).isEqualTo(4);
        assertThat(dialer.log).noneMatch(line -> line.startsWith("close"));

        // At 90 s all four are expired: the two newest stay with a fresh idle time, the others go oldest first.
        scheduler.advanceTo(Duration.ofSeconds(90));
        assertThat(dialer.log).containsSubsequence("close s1 IDLE_TIMEOUT", "close s2 IDLE_TIMEOUT");
        assertThat(pool.snapshot()).extracting(PooledSessionInfo::sequence).containsExactly(3L, 4L);
        assertThat(pool.snapshot()).extracting(PooledSessionInfo::idleSinceNanos)
                .containsOnly(at(Duration.ofSeconds(90)));

        // Refreshed at 90 s, they are not expired again before 150 s + one tick.
        scheduler.advanceTo(Duration.ofSeconds(150));
        assertThat(pool.stats().idleSessions()).isEqualTo(2);
        assertThat(scheduler.pendingDelays()).containsExactly(INTERVAL);

        PoolStats stats = pool.stats();
        assertThat(stats.sessionsClosed(CloseCause.IDLE_TIMEOUT)).isEqualTo(2);
        assertThat(stats.totalSessionsClosed()).isEqualTo(2);
        assertThat(stats.sessionsCreated() - stats.totalSessionsClosed()).isEqualTo(stats.totalSessions());
    }

    @Test
    void expiredSessionsAreClosedOldestFirstWhileUnexpiredOnesCountTowardsMinIdle() {
        newPool(PoolOptions.builder().minIdleSessions(1).build());
        Lease<FakeSession> s1 = acquireNow();
        Lease<FakeSession> s2 = acquireNow();
        Lease<FakeSession> s3 = acquireNow();
        s1.release(true);
        clock.set(at(Duration.ofSeconds(10)));
        s2.release(true);
        clock.set(at(Duration.ofSeconds(50)));
        s3.release(true);

        // At 65 s only s1 (idle 65 s) is expired; s3 and s2 are fresh and already satisfy minIdleSessions.
        assertThat(pool.cleanup(at(Duration.ofSeconds(65)))).isEqualTo(INTERVAL.toNanos());
        assertThat(s1.session().closeCalls()).containsExactly(CloseCause.IDLE_TIMEOUT);
        assertThat(pool.snapshot()).extracting(PooledSessionInfo::sequence).containsExactly(2L, 3L);

        // At 120 s both are expired: s3 is the newest and is kept, refreshed; s2 goes.
        pool.cleanup(at(Duration.ofSeconds(120)));
        assertThat(s2.session().closeCalls()).containsExactly(CloseCause.IDLE_TIMEOUT);
        assertThat(pool.snapshot()).singleElement().satisfies(info -> {
            assertThat(info.sequence()).isEqualTo(3);
            assertThat(info.idleSinceNanos()).isEqualTo(at(Duration.ofSeconds(120)));
        });
        assertThat(pool.stats().sessionsClosed(CloseCause.IDLE_TIMEOUT)).isEqualTo(2);
    }

    @Test
    void withMinIdleZeroEveryExpiredSessionIsClosedLowestSequenceFirst() {
        newPool(PoolOptions.builder().minIdleSessions(0).build());
        List<Lease<FakeSession>> leases = List.of(acquireNow(), acquireNow(), acquireNow());
        for (int i = leases.size() - 1; i >= 0; i--) {
            leases.get(i).release(true); // newest released first: idle time must not decide the close order
        }

        assertThat(pool.cleanup(at(Duration.ofSeconds(61)))).as("nothing idle left").isEqualTo(-1);
        assertThat(dialer.log).endsWith("close s1 IDLE_TIMEOUT", "close s2 IDLE_TIMEOUT", "close s3 IDLE_TIMEOUT");
        assertThat(pool.stats().totalSessions()).isZero();
        assertThat(pool.stats().sessionsClosed(CloseCause.IDLE_TIMEOUT)).isEqualTo(3);
    }

    @Test
    void disableReuseDialsForEveryStreamAndClosesOnRelease() {
        newPool(PoolOptions.builder().disableReuse(true).build());
        Lease<FakeSession> first = acquireNow();
        first.release(true);
        assertThat(first.session().closeCalls()).containsExactly(CloseCause.REUSE_DISABLED);

        Lease<FakeSession> second = acquireNow();
        assertThat(second.session()).isNotSameAs(first.session());
        assertThat(second.reused()).isFalse();
        second.release(true);

        assertThat(dialer.log).containsExactly("dial 1", "close s1 REUSE_DISABLED", "dial 2", "close s2 REUSE_DISABLED");
        assertThat(scheduler.pendingDelays()).as("no cleanup timer keeps sessions").isEmpty();
        PoolStats stats = pool.stats();
        assertThat(stats.sessionsCreated()).isEqualTo(2);
        assertThat(stats.sessionsClosed(CloseCause.REUSE_DISABLED)).isEqualTo(2);
        assertThat(stats.leasesReused()).isZero();
        assertThat(stats.reuseRatio()).isZero();
        assertThat(stats.totalSessions()).isZero();
    }

    @Test
    void acquireBeyondMaxSessionsFailsAtOnceAndAReleasedSessionServesTheNext() {
        newPool(PoolOptions.builder().maxSessions(2).build());
        Lease<FakeSession> one = acquireNow();
        acquireNow();

        PoolException exhausted = failureOf(pool.acquire());
        assertThat(exhausted.kind()).isEqualTo(PoolException.Kind.EXHAUSTED);
        assertThat(exhausted.getMessage()).contains("maxSessions=2");

        one.release(true);
        Lease<FakeSession> third = acquireNow();
        assertThat(third.session()).isSameAs(one.session());
        assertThat(third.reused()).isTrue();

        PoolStats stats = pool.stats();
        assertThat(stats.sessionsCreated()).isEqualTo(2);
        assertThat(stats.acquiresFailed()).isEqualTo(1);
        assertThat(stats.leasesGranted()).isEqualTo(3);
    }

    @Test
    void dialsInFlightCountTowardsMaxSessions() {
        dialer = FakeDialer.manual();
        newPool(PoolOptions.builder().maxSessions(2).build());
        CompletionStage<Lease<FakeSession>> first = pool.acquire();
        pool.acquire();
        assertThat(pool.stats().dialingSessions()).isEqualTo(2);

        assertThat(failureOf(pool.acquire()).kind()).isEqualTo(PoolException.Kind.EXHAUSTED);

        dialer.failNext(new IOException("connection refused"));
        assertThat(first.toCompletableFuture()).isCompletedExceptionally();
        assertThat(pool.acquire().toCompletableFuture()).as("the failed dial freed its slot").isNotDone();
        assertThat(pool.stats().dialingSessions()).isEqualTo(2);
        assertThat(pool.stats().acquiresFailed()).isEqualTo(2);
    }

    @Test
    void aFailedDialFailsTheAcquireWithTheCause() {
        dialer = FakeDialer.manual();
        newPool(PoolOptions.defaults());
        CompletionStage<Lease<FakeSession>> acquire = pool.acquire();
        IOException refused = new IOException("connection refused");
        dialer.failNext(refused);

        PoolException failure = failureOf(acquire);
        assertThat(failure.kind()).isEqualTo(PoolException.Kind.DIAL_FAILED);
        assertThat(failure).hasCause(refused).hasMessageContaining("session #1").hasMessageContaining("connection refused");
        PoolStats stats = pool.stats();
        assertThat(stats.sessionsCreated()).isZero();
        assertThat(stats.acquiresFailed()).isEqualTo(1);
        assertThat(stats.dialingSessions()).isZero();
    }

    @Test
    void aDialerThatThrowsFailsTheAcquireInsteadOfTheCaller() {
        SessionDialer<FakeSession> throwing = sequence -> {
            throw new IllegalStateException("no route for session " + sequence);
        };
        pool = new SessionPool<>(PoolOptions.defaults(), throwing, clock, scheduler);

        PoolException failure = failureOf(pool.acquire());
        assertThat(failure.kind()).isEqualTo(PoolException.Kind.DIAL_FAILED);
        assertThat(failure.getCause()).hasMessage("no route for session 1");
        assertThat(pool.stats().dialingSessions()).isZero();
    }

    @Test
    void aSessionThatReportsItsDeathLeavesThePoolAtOnceAndIsNeverHandedOut() {
        newPool(PoolOptions.defaults());
        Lease<FakeSession> idleLease = acquireNow();
        Lease<FakeSession> leased = acquireNow();
        idleLease.release(true);

        pool.sessionClosed(idleLease.session(), CloseCause.ERROR);
        pool.sessionClosed(leased.session(), CloseCause.ERROR);
        pool.sessionClosed(leased.session(), CloseCause.ERROR); // told twice: counted once

        assertThat(pool.stats().totalSessions()).isZero();
        assertThat(pool.stats().sessionsClosed(CloseCause.ERROR)).isEqualTo(2);
        assertThat(idleLease.session().closeCalls()).as("the pool does not close a dead session again").isEmpty();

        leased.release(true); // the dead session's stream ends later: it must not come back
        assertThat(pool.stats().idleSessions()).isZero();
        Lease<FakeSession> next = acquireNow();
        assertThat(next.session().name()).isEqualTo("s3");
        assertThat(next.reused()).isFalse();
    }

    @Test
    void aSilentlyBrokenIdleSessionIsClosedAndSkippedByAcquire() {
        newPool(PoolOptions.defaults());
        Lease<FakeSession> older = acquireNow();
        Lease<FakeSession> newer = acquireNow();
        older.release(true);
        newer.release(true);
        newer.session().breakSilently();

        Lease<FakeSession> next = acquireNow();
        assertThat(next.session()).isSameAs(older.session());
        assertThat(newer.session().closeCalls()).containsExactly(CloseCause.ERROR);
        assertThat(pool.stats().sessionsClosed(CloseCause.ERROR)).isEqualTo(1);
        assertThat(pool.stats().totalSessions()).isEqualTo(1);
    }

    @Test
    void cleanupClosesASilentlyBrokenIdleSessionEvenWhenItWouldBeKeptAsMinIdle() {
        newPool(PoolOptions.builder().minIdleSessions(1).build());
        Lease<FakeSession> lease = acquireNow();
        lease.release(true);
        lease.session().breakSilently();

        scheduler.advanceBy(INTERVAL);
        assertThat(lease.session().closeCalls()).containsExactly(CloseCause.ERROR);
        assertThat(pool.stats().totalSessions()).isZero();
        assertThat(scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void warmingDialsTheShortfallAtStartAndReDialsAfterADeath() {
        newPool(PoolOptions.builder().minIdleSessions(2).warmIdleSessions(true).build());
        assertThat(dialer.log).as("nothing before start").isEmpty();

        pool.start();
        assertThat(dialer.log).containsExactly("dial 1", "dial 2");
        assertThat(pool.stats().idleSessions()).isEqualTo(2);
        assertThat(scheduler.pendingDelays()).containsExactly(INTERVAL);

        pool.sessionClosed(dialer.session("s2"), CloseCause.ERROR);
        assertThat(dialer.log).endsWith("dial 3");
        assertThat(pool.snapshot()).extracting(PooledSessionInfo::sequence).containsExactly(1L, 3L);

        // Leasing one leaves a shortfall too: a replacement is ready for the next stream.
        Lease<FakeSession> lease = acquireNow();
        assertThat(lease.session().name()).isEqualTo("s3");
        assertThat(dialer.log).endsWith("dial 4");
        assertThat(pool.stats().idleSessions()).isEqualTo(2);
        assertThat(pool.stats().sessionsCreated()).isEqualTo(4);
    }

    @Test
    void warmingReDialsWhenTheCleanupClosesIdleSessions() {
        newPool(PoolOptions.builder().minIdleSessions(1).warmIdleSessions(true)
                .maxSessionAge(Duration.ofSeconds(100)).build());
        pool.start();
        assertThat(dialer.log).containsExactly("dial 1");

        // s1 dies without telling anyone: the 30 s tick closes it and dials its replacement in the same run.
        dialer.session("s1").breakSilently();
        scheduler.advanceTo(Duration.ofSeconds(30));
        assertThat(dialer.log).containsExactly("dial 1", "close s1 ERROR", "dial 2");

        // s2 was created at 30 s; at the 150 s tick it is 120 s old, past maxSessionAge.
        scheduler.advanceTo(Duration.ofSeconds(150));
        assertThat(dialer.log).endsWith("close s2 MAX_AGE", "dial 3");
        assertThat(pool.snapshot()).singleElement().satisfies(info -> {
            assertThat(info.sequence()).isEqualTo(3);
            assertThat(info.createdAtNanos()).isEqualTo(at(Duration.ofSeconds(150)));
        });
        PoolStats stats = pool.stats();
        assertThat(stats.sessionsCreated()).isEqualTo(3);
        assertThat(stats.sessionsClosed(CloseCause.ERROR)).isEqualTo(1);
        assertThat(stats.sessionsClosed(CloseCause.MAX_AGE)).isEqualTo(1);
    }

    @Test
    void warmingWithIdleSurplusLetsTheIdleTimeoutTrimDownToMinIdle() {
        newPool(PoolOptions.builder().minIdleSessions(1).warmIdleSessions(true).build());
        pool.start();
        Lease<FakeSession> lease = acquireNow(); // takes s1, warming dials s2
        lease.release(true); // s1 and s2 idle since t=0

        scheduler.advanceTo(Duration.ofSeconds(90));
        assertThat(dialer.log).containsExactly("dial 1", "dial 2", "close s1 IDLE_TIMEOUT");
        assertThat(pool.stats().idleSessions()).isEqualTo(1);
    }

    @Test
    void aFailedWarmDialIsRetriedOnTheNextCleanupTickOnly() {
        newPool(PoolOptions.builder().minIdleSessions(1).warmIdleSessions(true).build());
        dialer.failWith(new IllegalStateException("server down"));
        pool.start();
        assertThat(dialer.log).containsExactly("dial 1");

        // Activity between ticks does not retry warming: only the acquire's own dial happens.
        assertThat(failureOf(pool.acquire()).kind()).isEqualTo(PoolException.Kind.DIAL_FAILED);
        assertThat(dialer.log).containsExactly("dial 1", "dial 2");

        scheduler.advanceTo(Duration.ofSeconds(30));
        assertThat(dialer.log).containsExactly("dial 1", "dial 2", "dial 3");
        scheduler.advanceTo(Duration.ofSeconds(60));
        assertThat(dialer.log).containsExactly("dial 1", "dial 2", "dial 3", "dial 4");

        dialer.failWith(null);
        scheduler.advanceTo(Duration.ofSeconds(90));
        assertThat(dialer.log).endsWith("dial 5");
        assertThat(pool.stats().idleSessions()).isEqualTo(1);
        assertThat(pool.stats().acquiresFailed()).as("warm dials are not acquires").isEqualTo(1);
    }

    @Test
    void warmingRespectsMaxSessions() {
        dialer = FakeDialer.manual();
        newPool(PoolOptions.builder().minIdleSessions(2).maxSessions(2).warmIdleSessions(true).build());
        pool.start();
        assertThat(pool.stats().dialingSessions()).isEqualTo(2);
        assertThat(failureOf(pool.acquire()).kind()).isEqualTo(PoolException.Kind.EXHAUSTED);

        dialer.succeedNext();
        dialer.succeedNext();
        assertThat(pool.stats().idleSessions()).isEqualTo(2);
        Lease<FakeSession> lease = acquireNow();
        assertThat(lease.session().name()).isEqualTo("s2");
        assertThat(dialer.pending()).as("no room for a replacement").isEmpty();
    }

    @Test
    void aSessionPastMaxAgeIsNeverHandedOutAgain() {
        newPool(PoolOptions.builder().maxSessionAge(Duration.ofSeconds(100)).build());
        Lease<FakeSession> first = acquireNow(); // s1 created at 0
        clock.set(at(Duration.ofSeconds(10)));
        first.release(true);

        // Idle at 100 s: acquire closes it and dials.
        clock.set(at(Duration.ofSeconds(100)));
        Lease<FakeSession> second = acquireNow();
        assertThat(first.session().closeCalls()).containsExactly(CloseCause.MAX_AGE);
        assertThat(second.session().name()).isEqualTo("s2");

        // Leased past its age (created at 100 s, released at 200 s): closed on release.
        clock.set(at(Duration.ofSeconds(200)));
        second.release(true);
        assertThat(second.session().closeCalls()).containsExactly(CloseCause.MAX_AGE);

        // Idle past its age at a cleanup, even as the only (min idle) session.
        Lease<FakeSession> third = acquireNow(); // s3 created at 200 s
        clock.set(at(Duration.ofSeconds(250)));
        third.release(true);
        pool.cleanup(at(Duration.ofSeconds(300)));
        assertThat(third.session().closeCalls()).containsExactly(CloseCause.MAX_AGE);

        assertThat(pool.stats().sessionsClosed(CloseCause.MAX_AGE)).isEqualTo(3);
        assertThat(pool.stats().totalSessions()).isZero();
    }

    @Test
    void updatingOptionsAppliesThemWithoutClosingLeasedSessions() {
        newPool(PoolOptions.defaults());
        Lease<FakeSession> a = acquireNow();
        Lease<FakeSession> b = acquireNow();
        Lease<FakeSession> c = acquireNow();
        c.release(true); // s3 idle since 0; timer due at 30 s

        clock.set(at(Duration.ofSeconds(2)));
        pool.updateOptions(PoolOptions.builder()
                .idleSessionCheckInterval(Duration.ofSeconds(5))
                .idleSessionTimeout(Duration.ofSeconds(10))
                .minIdleSessions(0)
                .maxSessions(1)
                .build());
        assertThat(dialer.log).noneMatch(line -> line.startsWith("close"));
        assertThat(scheduler.pendingDelays()).as("re-armed to the new interval").containsExactly(Duration.ofSeconds(5));

        scheduler.advanceTo(Duration.ofSeconds(7)); // s3 idle 7 s
        assertThat(pool.stats().idleSessions()).isEqualTo(1);
        scheduler.advanceTo(Duration.ofSeconds(12)); // s3 idle 12 s > 10 s
        assertThat(dialer.log).containsExactly("dial 1", "dial 2", "dial 3", "close s3 IDLE_TIMEOUT");
        assertThat(a.session().isClosed()).isFalse();
        assertThat(b.session().isClosed()).isFalse();
        assertThat(failureOf(pool.acquire()).kind()).as("new cap of 1 applies").isEqualTo(PoolException.Kind.EXHAUSTED);

        a.release(true);
        b.release(true);
        assertThat(pool.stats().idleSessions()).isEqualTo(2);
        assertThat(pool.stats().sessionsClosed(CloseCause.IDLE_TIMEOUT)).isEqualTo(1);
    }

    @Test
    void turningWarmingOnLiveDialsTheShortfallAndKeepsTheTimerWhenTheIntervalIsUnchanged() {
        newPool(PoolOptions.defaults());
        Lease<FakeSession> leased = acquireNow();
        acquireNow().release(true); // s2 idle: timer due at 30 s
        clock.set(at(Duration.ofSeconds(10)));

        pool.updateOptions(PoolOptions.builder().minIdleSessions(3).warmIdleSessions(true).build());
        assertThat(dialer.log).containsExactly("dial 1", "dial 2", "dial 3", "dial 4");
        assertThat(pool.stats().idleSessions()).isEqualTo(3);
        assertThat(pool.stats().activeSessions()).isEqualTo(1);
        assertThat(leased.session().isClosed()).isFalse();
        assertThat(scheduler.pendingDelays()).as("same interval: the armed timer stays").containsExactly(Duration.ofSeconds(20));
        assertThat(pool.options().warmIdleSessions()).isTrue();
    }

    @Test
    void disablingReuseLiveClosesIdleSessionsButNotLeasedOnes() {
        newPool(PoolOptions.defaults());
        Lease<FakeSession> leased = acquireNow();
        acquireNow().release(true);

        pool.updateOptions(PoolOptions.builder().disableReuse(true).build());
        assertThat(dialer.session("s2").closeCalls()).containsExactly(CloseCause.REUSE_DISABLED);
        assertThat(leased.session().isClosed()).isFalse();

        leased.release(true);
        assertThat(leased.session().closeCalls()).containsExactly(CloseCause.REUSE_DISABLED);
        assertThat(pool.stats().sessionsClosed(CloseCause.REUSE_DISABLED)).isEqualTo(2);
    }

    @Test
    void closeShutsEverythingDownIncludingADialStillInFlight() {
        dialer = FakeDialer.manual();
        newPool(PoolOptions.defaults());
        CompletionStage<Lease<FakeSession>> acquireA = pool.acquire();
        dialer.succeedNext();
        Lease<FakeSession> a = Completed.now(acquireA); // s1 leased
        CompletionStage<Lease<FakeSession>> acquireB = pool.acquire();
        dialer.succeedNext();
        Completed.now(acquireB).release(true); // s2 idle
        assertThat(Completed.now(pool.acquire()).session().name()).isEqualTo("s2");
        CompletionStage<Lease<FakeSession>> waiting = pool.acquire(); // nothing idle: dials s3
        assertThat(dialer.pending()).hasSize(1);
        assertThat(scheduler.pendingDelays()).isNotEmpty();

        pool.close();

        assertThat(dialer.log).containsSubsequence("close s1 SHUTDOWN", "close s2 SHUTDOWN");
        PoolException shutDown = failureOf(waiting);
        assertThat(shutDown.kind()).isEqualTo(PoolException.Kind.SHUT_DOWN);
        assertThat(scheduler.pendingDelays()).as("timer cancelled").isEmpty();
        assertThat(pool.stats().dialingSessions()).isEqualTo(1);

        FakeSession late = dialer.succeedNext();
        assertThat(late.closeCalls()).containsExactly(CloseCause.SHUTDOWN);

        assertThat(failureOf(pool.acquire()).kind()).isEqualTo(PoolException.Kind.SHUT_DOWN);
        a.release(true);
        pool.close();
        pool.cleanup(clock.nanoTime());
        assertThat(a.session().closeCalls()).as("closed exactly once").containsExactly(CloseCause.SHUTDOWN);

        PoolStats stats = pool.stats();
        assertThat(stats.totalSessions()).isZero();
        assertThat(stats.dialingSessions()).isZero();
        assertThat(stats.sessionsCreated()).isEqualTo(3);
        assertThat(stats.sessionsClosed(CloseCause.SHUTDOWN)).isEqualTo(3);
        assertThat(stats.acquiresFailed()).isEqualTo(2);
        assertThat(scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void warmDialsCompletingAfterCloseAreClosedAndStartDoesNothingOnceClosed() {
        dialer = FakeDialer.manual();
        newPool(PoolOptions.builder().minIdleSessions(2).warmIdleSessions(true).build());
        pool.start();
        pool.close();
        FakeSession late = dialer.succeedNext();
        dialer.failNext(new IOException("aborted"));
        pool.start();

        assertThat(late.closeCalls()).containsExactly(CloseCause.SHUTDOWN);
        assertThat(dialer.log).containsExactly("dial 1", "dial 2", "close s1 SHUTDOWN");
        PoolStats stats = pool.stats();
        assertThat(stats.dialingSessions()).isZero();
        assertThat(stats.sessionsCreated()).isEqualTo(1);
        assertThat(stats.sessionsClosed(CloseCause.SHUTDOWN)).isEqualTo(1);
        assertThat(stats.acquiresFailed()).as("warm dials are not acquires").isZero();
        assertThat(scheduler.pendingDelays()).isEmpty();
    }

    @Test
    void aDialCompletingAfterTheCallerCancelledLeavesTheSessionIdle() {
        dialer = FakeDialer.manual();
        newPool(PoolOptions.defaults());
        pool.acquire().toCompletableFuture().cancel(false);
        FakeSession session = dialer.succeedNext();

        assertThat(pool.stats().idleSessions()).isEqualTo(1);
        assertThat(pool.stats().leasesGranted()).as("nobody got it").isZero();
        Lease<FakeSession> lease = acquireNow();
        assertThat(lease.session()).isSameAs(session);
        assertThat(pool.stats().leasesGranted()).isEqualTo(1);
    }

    @Test
    void aDialedSessionThatIsAlreadyDeadFailsTheAcquire() {
        dialer = FakeDialer.manual();
        newPool(PoolOptions.defaults());
        CompletionStage<Lease<FakeSession>> acquire = pool.acquire();
        FakeDialer.PendingDial dial = dialer.pending().get(0);
        FakeSession dead = new FakeSession("dead", dialer.log);
        dead.breakSilently();
        dial.future().complete(dead);

        assertThat(failureOf(acquire).kind()).isEqualTo(PoolException.Kind.DIAL_FAILED);
        assertThat(dead.closeCalls()).containsExactly(CloseCause.ERROR);
        assertThat(pool.stats().sessionsCreated()).isEqualTo(1);
        assertThat(pool.stats().sessionsClosed(CloseCause.ERROR)).isEqualTo(1);
    }

    @Test
    void sessionClosedRequiresACause() {
        newPool(PoolOptions.defaults());
        Lease<FakeSession> lease = acquireNow();
        assertThatThrownBy(() -> pool.sessionClosed(lease.session(), null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("cause");
    }
}
