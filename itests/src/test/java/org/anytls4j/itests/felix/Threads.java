package org.anytls4j.itests.felix;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

/** The JVM's live threads, for checking that a bundle left none behind. */
final class Threads {
    private Threads() {
    }

    static Set<Thread> named(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith(prefix))
                .collect(Collectors.toCollection(HashSet::new));
    }

    static Set<Thread> nonDaemon() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && !thread.isDaemon())
                .collect(Collectors.toCollection(HashSet::new));
    }

    /** Waits, bounded in total, for every one of {@code threads} to end. */
    static void awaitEnd(Set<Thread> threads, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread thread : threads) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            thread.join(left);
            if (thread.isAlive()) {
                throw new AssertionError("thread " + thread.getName() + " still runs after " + timeout);
            }
        }
    }
}
