package org.anytls4j.anytls.client.pool;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A scheduler on a {@link FakeClock}: {@link #advanceBy(Duration)} moves the clock forward and runs each task
 * that falls due, in due order, with the clock set to the task's due time. Nothing runs on its own.
 */
final class FakeScheduler implements PoolScheduler {

    private final FakeClock clock;
    private final PriorityQueue<Task> queue =
            new PriorityQueue<>(Comparator.comparingLong(Task::due).thenComparingLong(Task::order));
    private long nextOrder;

    FakeScheduler(FakeClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized Cancellable schedule(Runnable runnable, long delayNanos) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("negative delay: " + delayNanos);
        }
        Task task = new Task(clock.nanoTime() + delayNanos, nextOrder++, runnable);
        queue.add(task);
        return () -> {
            synchronized (FakeScheduler.this) {
                queue.remove(task);
            }
        };
    }

    /** Advances the clock by {@code step}, running due tasks (including ones they schedule) on the way. */
    void advanceBy(Duration step) {
        long target = clock.nanoTime() + step.toNanos();
        while (true) {
            Task task;
            synchronized (this) {
                task = queue.peek();
                if (task == null || task.due() > target) {
                    break;
                }
                queue.poll();
            }
            clock.set(task.due());
            task.runnable().run();
        }
        clock.set(target);
    }

    /** Advances the clock to {@code offset} after {@link FakeClock#START}. */
    void advanceTo(Duration offset) {
        advanceBy(Duration.ofNanos(FakeClock.at(offset) - clock.nanoTime()));
    }

    /** Delays from now of the tasks still pending, soonest first. */
    synchronized List<Duration> pendingDelays() {
        List<Duration> delays = new ArrayList<>();
        queue.stream().sorted(queue.comparator())
                .forEach(task -> delays.add(Duration.ofNanos(task.due() - clock.nanoTime())));
        return delays;
    }

    private record Task(long due, long order, Runnable runnable) {
    }
}
