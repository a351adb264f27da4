package org.anytls4j.anytls.client.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Several threads acquiring and releasing at once: the pool's invariants must hold throughout and after. */
class SessionPoolConcurrencyTest {

    private static final int THREADS = 4;
    private static final int ROUNDS = 2_000;
    private static final int MAX_SESSIONS = 3;

    @Test
    @Timeout(60)
    void concurrentAcquireAndReleaseNeverShareASessionNorExceedTheCap() throws Exception {
        FakeClock clock = new FakeClock();
        FakeDialer dialer = FakeDialer.immediate();
        SessionPool<FakeSession> pool = new SessionPool<>(
                PoolOptions.builder().maxSessions(MAX_SESSIONS).build(), dialer, clock, new FakeScheduler(clock));
        Map<FakeSession, AtomicInteger> holders = new ConcurrentHashMap<>();
        AtomicInteger sharedViolations = new AtomicInteger();
        AtomicInteger peakLive = new AtomicInteger();
        AtomicLong granted = new AtomicLong();
        AtomicLong exhausted = new AtomicLong();
        AtomicLong unhealthy = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);

        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int seed = t;
                workers.add(threads.submit(() -> {
                    start.await(10, TimeUnit.SECONDS);
                    for (int round = 0; round < ROUNDS; round++) {
                        Lease<FakeSession> lease;
                        try {
                            lease = pool.acquire().toCompletableFuture().get(10, TimeUnit.SECONDS);
                        } catch (java.util.concurrent.ExecutionException e) {
                            assertThat(e.getCause()).isInstanceOf(PoolException.class);
                            assertThat(((PoolException) e.getCause()).kind()).isEqualTo(PoolException.Kind.EXHAUSTED);
                            exhausted.incrementAndGet();
                            continue;
                        }
                        granted.incrementAndGet();
                        AtomicInteger holding = holders.computeIfAbsent(lease.session(), s -> new AtomicInteger());
                        if (holding.incrementAndGet() != 1) {
                            sharedViolations.incrementAndGet();
                        }
                        if (lease.session().isClosed()) {
                            sharedViolations.incrementAndGet(); // a closed session was handed out
                        }
                        peakLive.accumulateAndGet(pool.stats().totalSessions(), Math::max);
                        holding.decrementAndGet();
                        boolean healthy = (round + seed) % 50 != 0;
                        if (!healthy) {
                            unhealthy.incrementAndGet();
                        }
                        lease.release(healthy);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                try {
                    worker.get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new CompletionException(e.getCause());
                }
            }
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(sharedViolations).hasValue(0);
        assertThat(peakLive.get()).isLessThanOrEqualTo(MAX_SESSIONS);
        PoolStats stats = pool.stats();
        assertThat(stats.leasesGranted()).isEqualTo(granted.get());
        assertThat(stats.acquiresFailed()).isEqualTo(exhausted.get());
        assertThat(stats.leasesGranted() + stats.acquiresFailed()).isEqualTo((long) THREADS * ROUNDS);
        assertThat(stats.leasesReleasedUnhealthy()).isEqualTo(unhealthy.get());
        assertThat(stats.sessionsClosed(CloseCause.ERROR)).isEqualTo(unhealthy.get());
        assertThat(stats.activeSessions()).isZero();
        assertThat(stats.dialingSessions()).isZero();
        assertThat(stats.totalSessions()).isEqualTo(stats.idleSessions()).isLessThanOrEqualTo(MAX_SESSIONS);
        assertThat(stats.sessionsCreated() - stats.totalSessionsClosed()).isEqualTo(stats.totalSessions());
        assertThat(stats.leasesGranted() - stats.leasesReused()).isEqualTo(stats.sessionsCreated());
        assertThat(dialer.sessions()).filteredOn(s -> !s.isClosed()).hasSize(stats.totalSessions());

        pool.close();
        assertThat(dialer.sessions()).allSatisfy(s -> assertThat(s.closeCalls()).hasSize(1));
    }
}
