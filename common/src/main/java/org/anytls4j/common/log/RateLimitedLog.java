package org.anytls4j.common.log;

import io.netty.util.concurrent.GlobalEventExecutor;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Log lines limited per key (a transport's or a server's name): at most {@code burst} lines per key in each window;
 * the rest are counted, and when the window ends one line says how many similar lines were suppressed. So a burst
 * of a thousand identical failures leaves a few lines and a summary, never silence and never a flood.
 *
 * <p>Thread-safe; {@link #log} never blocks beyond a short per-key lock and may run on an event loop. The summary
 * of a window is written by the first {@link #log} after it, or by the {@link Scheduler}'s task at its end.
 */
public final class RateLimitedLog {
    /** Runs a task once after a delay; an event loop's or an executor's {@code schedule}. */
    @FunctionalInterface
    public interface Scheduler {
        void schedule(Runnable task, Duration delay);
    }

    private final System.Logger logger;
    private final System.Logger.Level level;
    private final int burst;
    private final Duration window;
    private final LongSupplier nanoClock;
    private final Scheduler scheduler;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /**
     * A log on the system's monotonic clock whose window summaries Netty's global executor writes: what a product
     * component wants; tests inject a clock and a scheduler through the constructor instead.
     */
    public static RateLimitedLog onSystemTime(System.Logger logger, System.Logger.Level level, int burst,
            Duration window) {
        return new RateLimitedLog(logger, level, burst, window, System::nanoTime,
                (task, delay) -> GlobalEventExecutor.INSTANCE.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS));
    }

    /**
     * @param burst     lines per key and window before suppression starts, at least 1
     * @param window    length of a window, positive
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime})
     * @param scheduler runs the summary at the end of a window with suppressed lines
     */
    public RateLimitedLog(System.Logger logger, System.Logger.Level level, int burst, Duration window,
            LongSupplier nanoClock, Scheduler scheduler) {
        this.logger = Objects.requireNonNull(logger, "logger");
        this.level = Objects.requireNonNull(level, "level");
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be at least 1, got " + burst);
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window must be positive, got " + window);
        }
        this.burst = burst;
        this.window = window;
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /** Logs {@code message} for {@code key} unless the key used up its lines in this window. */
    public void log(String key, Supplier<String> message) {
        Objects.requireNonNull(key, "key");
        if (!logger.isLoggable(level)) {
            return;
        }
        Window state = windows.computeIfAbsent(key, k -> new Window(nanoClock.getAsLong()));
        long summary;
        boolean write;
        boolean scheduleSummary = false;
        synchronized (state) {
            summary = state.rollIfOver(nanoClock.getAsLong(), window.toNanos());
            write = state.logged < burst;
            if (write) {
                state.logged++;
            } else {
                scheduleSummary = state.suppressed++ == 0;
            }
        }
        if (summary > 0) {
            logger.log(level, summaryLine(key, summary));
        }
        if (write) {
            logger.log(level, message.get());
        } else if (scheduleSummary) {
            scheduler.schedule(() -> flush(key), window);
        }
    }

    /** Writes the summary of {@code key}'s window if that window is over and suppressed lines. */
    public void flush(String key) {
        Window state = windows.get(key);
        if (state == null) {
            return;
        }
        long summary;
        synchronized (state) {
            summary = state.rollIfOver(nanoClock.getAsLong(), window.toNanos());
        }
        if (summary > 0) {
            logger.log(level, summaryLine(key, summary));
        }
    }

    private String summaryLine(String key, long suppressed) {
        return key + ": suppressed " + suppressed + " similar " + (suppressed == 1 ? "line" : "lines")
                + " in the last " + window.toSeconds() + " s";
    }

    /** One key's current window; guarded by its own monitor. */
    private static final class Window {
        private long start;
        private int logged;
        private long suppressed;

        Window(long start) {
            this.start = start;
        }

        /** Starts a new window if this one is over; returns the suppressed count to report (0: nothing). */
        long rollIfOver(long now, long length) {
            if (now - start < length) {
                return 0;
            }
            long report = suppressed;
            start = now;
            logged = 0;
            suppressed = 0;
            return report;
        }
    }
}
