package org.anytls4j.anytls.client.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The executor adapter, driven through the virtual clock of an embedded Netty event loop. */
class PoolSchedulerTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void closeChannel() {
        channel.finishAndReleaseAll();
    }

    @Test
    void runsTheTaskOnTheEventLoopOnceTheDelayHasPassed() {
        PoolScheduler scheduler = PoolScheduler.of(channel.eventLoop());
        AtomicInteger runs = new AtomicInteger();
        scheduler.schedule(runs::incrementAndGet, Duration.ofSeconds(30).toNanos());

        channel.advanceTimeBy(29, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(runs).hasValue(0);

        channel.advanceTimeBy(1, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(runs).hasValue(1);
    }

    @Test
    void aCancelledTaskNeverRuns() {
        PoolScheduler scheduler = PoolScheduler.of(channel.eventLoop());
        AtomicInteger runs = new AtomicInteger();
        Cancellable task = scheduler.schedule(runs::incrementAndGet, Duration.ofSeconds(1).toNanos());
        task.cancel();
        task.cancel();

        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(runs).hasValue(0);
    }

    @Test
    void aPoolOnAnEventLoopRunsItsCleanupThereAndLeavesNoTaskBehindWhenClosed() {
        FakeDialer dialer = FakeDialer.immediate();
        FakeClock clock = new FakeClock();
        SessionPool<FakeSession> pool = new SessionPool<>(PoolOptions.builder().minIdleSessions(0).build(), dialer,
                clock, PoolScheduler.of(channel.eventLoop()));
        try {
            Completed.now(pool.acquire()).release(true); // s1 idle
            Completed.now(pool.acquire()); // s1 leased from now on
            Completed.now(pool.acquire()).release(true); // s2 dialed, idle since the start
            clock.set(FakeClock.at(Duration.ofSeconds(61)));

            channel.advanceTimeBy(30, TimeUnit.SECONDS);
            channel.runScheduledPendingTasks();
            assertThat(dialer.log).containsExactly("dial 1", "dial 2", "close s2 IDLE_TIMEOUT");
            assertThat(channel.runScheduledPendingTasks()).as("nothing idle: timer stopped").isEqualTo(-1);

            Completed.now(pool.acquire()).release(true); // s3 is dialed and idles
            assertThat(channel.runScheduledPendingTasks()).as("timer re-armed").isNotEqualTo(-1);
        } finally {
            pool.close();
        }
        assertThat(channel.runScheduledPendingTasks()).as("close cancelled the timer").isEqualTo(-1);
        assertThat(dialer.log).endsWith("close s1 SHUTDOWN", "close s3 SHUTDOWN");
    }
}
