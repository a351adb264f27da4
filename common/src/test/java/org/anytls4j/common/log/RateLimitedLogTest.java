package org.anytls4j.common.log;

import org.anytls4j.testkit.RecordingLogger;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitedLogTest {
    private final List<String> lines = new ArrayList<>();
    private final List<Runnable> scheduled = new ArrayList<>();
    private final AtomicLong now = new AtomicLong(1_000);
    private final RateLimitedLog log = new RateLimitedLog(new RecordingLogger(lines), System.Logger.Level.INFO, 3,
            Duration.ofSeconds(10), now::get, (task, delay) -> scheduled.add(task));

    @Test
    void oneEventIsOneLine() {
        log.log("hk1", () -> "open failed");

        assertThat(lines).containsExactly("open failed");
        assertThat(scheduled).isEmpty();
    }

    @Test
    void aBurstOfAThousandLeavesTheBurstAndOneSummary() {
        for (int i = 0; i < 1000; i++) {
            log.log("hk1", () -> "open failed");
        }
        assertThat(lines).hasSize(3);
        assertThat(scheduled).hasSize(1);

        now.addAndGet(Duration.ofSeconds(10).toNanos());
        scheduled.get(0).run();

        assertThat(lines).hasSize(4).last().isEqualTo("hk1: suppressed 997 similar lines in the last 10 s");
    }

    @Test
    void theNextWindowStartsWithTheSummaryOfTheLastOne() {
        for (int i = 0; i < 4; i++) {
            log.log("hk1", () -> "open failed");
        }
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        log.log("hk1", () -> "again");
        scheduled.forEach(Runnable::run); // the summary was written already: nothing twice

        assertThat(lines).containsExactly("open failed", "open failed", "open failed",
                "hk1: suppressed 1 similar line in the last 10 s", "again");
    }

    @Test
    void keysAreLimitedSeparately() {
        for (int i = 0; i < 5; i++) {
            log.log("hk1", () -> "hk1 failed");
            log.log("jp2", () -> "jp2 failed");
        }
        assertThat(lines).filteredOn("hk1 failed"::equals).hasSize(3);
        assertThat(lines).filteredOn("jp2 failed"::equals).hasSize(3);
    }

    @Test
    void rejectsAZeroBurst() {
        assertThatThrownBy(() -> new RateLimitedLog(new RecordingLogger(lines), System.Logger.Level.INFO, 0,
                Duration.ofSeconds(1), now::get, (task, delay) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("burst");
    }
}
