package org.anytls4j.group.core;

import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;

/** A clock and a scheduler that move only when the test says so. */
final class ManualTime implements GroupClock, GroupScheduler {
    private final PriorityQueue<Task> tasks = new PriorityQueue<>();
    private long nanos = 1_000_000_000L;
    private long sequence;

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant now() {
        return Instant.EPOCH.plusNanos(nanos);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        Task scheduled = new Task(nanos + Math.max(0, delayNanos), sequence++, task);
        tasks.add(scheduled);
        return () -> tasks.remove(scheduled);
    }

    /** Runs what is due now, including what those tasks schedule without delay. */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** Moves time forward, running every task that falls due on the way, at its own time. */
    void advance(Duration duration) {
        long target = nanos + duration.toNanos();
        while (!tasks.isEmpty() && tasks.peek().due <= target) {
            Task next = tasks.poll();
            nanos = Math.max(nanos, next.due);
            next.task.run();
        }
        nanos = target;
    }

    private static final class Task implements Comparable<Task> {
        final long due;
        final long sequence;
        final Runnable task;

        Task(long due, long sequence, Runnable task) {
            this.due = due;
            this.sequence = sequence;
            this.task = task;
        }

        @Override
        public int compareTo(Task other) {
            int byDue = Long.compare(due, other.due);
            return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
        }
    }
}
