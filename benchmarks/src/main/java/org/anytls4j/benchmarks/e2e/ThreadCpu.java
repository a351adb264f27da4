package org.anytls4j.benchmarks.e2e;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of the threads whose names start with one of some prefixes: the event loops of one side (client and host,
 * or server). GC and JIT threads are shared by all sides in this one-JVM harness and are not counted.
 */
final class ThreadCpu {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final String[] prefixes;

    ThreadCpu(String... prefixes) {
        if (!THREADS.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure per-thread CPU time");
        }
        THREADS.setThreadCpuTimeEnabled(true);
        this.prefixes = prefixes.clone();
    }

    /** Summed CPU nanoseconds of the live matching threads. */
    long nanos() {
        long total = 0;
        for (long id : THREADS.getAllThreadIds()) {
            ThreadInfo info = THREADS.getThreadInfo(id);
            if (info != null && matches(info.getThreadName())) {
                long cpu = THREADS.getThreadCpuTime(id);
                if (cpu > 0) {
                    total += cpu;
                }
            }
        }
        return total;
    }

    private boolean matches(String threadName) {
        for (String prefix : prefixes) {
            if (threadName.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
