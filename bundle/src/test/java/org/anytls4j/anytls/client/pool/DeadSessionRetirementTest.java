package org.anytls4j.anytls.client.pool;

import static org.anytls4j.anytls.client.pool.Completed.now;
import static org.anytls4j.anytls.client.pool.FakeClock.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the pool does when a reused session proves dead (issue 19), on a fake clock: the retry gets a newly dialled
 * session, never another idle one, and the sessions that were idle alongside the dead one are retired with it.
 */
class DeadSessionRetirementTest {
    private final FakeClock clock = new FakeClock();
    private final FakeScheduler scheduler = new FakeScheduler(clock);
    private final FakeDialer dialer = FakeDialer.immediate();
    private SessionPool<FakeSession> pool;

    @AfterEach
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }


    /** Three sessions, released at 1 s, 2 s and 3 s: s1, s2, s3 idle, s3 the newest. */
    private void threeIdleSessions() {
        pool = new SessionPool<>(PoolOptions.defaults(), dialer, clock, scheduler);
        List<Lease<FakeSession>> leases = List.of(now(pool.acquire()), now(pool.acquire()), now(pool.acquire()));
        for (int i = 0; i < 3; i++) {
            clock.set(at(Duration.ofSeconds(i + 1)));
            leases.get(i).release(true);
        }
    }

    @Test
    void acquireFreshDialsEvenWithIdleSessionsAndTheLeaseIsNotReused() {
        threeIdleSessions();

        Lease<FakeSession> fresh = now(pool.acquireFresh());

        assertThat(fresh.session().name()).isEqualTo("s4");
        assertThat(fresh.reused()).isFalse();
        assertThat(pool.stats().idleSessions()).isEqualTo(3);
    }

    @Test
    void aDeadSessionRetiresEverySessionThatWasIdleWhenItWasTakenButNotOnesUsedSince() {
        threeIdleSessions();
        clock.set(at(Duration.ofSeconds(10)));
        Lease<FakeSession> dead = now(pool.acquire()); // s3, idle since 3 s
        Lease<FakeSession> busy = now(pool.acquire()); // s2, carries a stream that ends well after the dead open
        clock.set(at(Duration.ofSeconds(11)));
        busy.release(true); // s2 proved alive after s3 was taken

        clock.set(at(Duration.ofSeconds(13))); // s3's SYNACK timeout ran out
        dead.session().breakSilently();
        dead.release(false);
        int retired = pool.retireIdleAlongside(dead);

        assertThat(retired).isEqualTo(1);
        assertThat(dialer.log).contains("close s3 ERROR", "close s1 SUSPECT").doesNotContain("close s2 SUSPECT");
        assertThat(pool.snapshot()).extracting(info -> info.session().name()).containsExactly("s2");
        PoolStats stats = pool.stats();
        assertThat(stats.sessionsClosed(CloseCause.SUSPECT)).isEqualTo(1);
        assertThat(stats.sessionsClosed(CloseCause.ERROR)).isEqualTo(1);
    }

    @Test
    void aDeadSessionThatAlreadyLeftThePoolIsNotCountedTwice() {
        threeIdleSessions();
        Lease<FakeSession> dead = now(pool.acquire());
        pool.sessionClosed(dead.session(), CloseCause.ERROR); // its close path told the pool first

        assertThat(pool.retireIdleAlongside(dead)).isEqualTo(2);
        assertThat(pool.stats().sessionsClosed(CloseCause.ERROR)).isEqualTo(1);
        assertThat(pool.stats().totalSessions()).isZero();
    }

    @Test
    void withWarmingOnRetiredSessionsAreReplacedAtOnce() {
        pool = new SessionPool<>(PoolOptions.builder().minIdleSessions(3).warmIdleSessions(true).build(), dialer,
                clock, scheduler);
        pool.start();
        assertThat(pool.stats().idleSessions()).isEqualTo(3);
        clock.set(at(Duration.ofSeconds(5)));
        Lease<FakeSession> dead = now(pool.acquire()); // s3; warming dials s4 in its place

        dead.session().breakSilently();
        dead.release(false);
        pool.retireIdleAlongside(dead);

        assertThat(pool.snapshot()).extracting(info -> info.session().name()).doesNotContain("s1", "s2", "s3")
                .hasSize(3);
        assertThat(pool.stats().sessionsClosed(CloseCause.SUSPECT)).isEqualTo(2);
    }
}
