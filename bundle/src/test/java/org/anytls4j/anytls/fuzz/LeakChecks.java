package org.anytls4j.anytls.fuzz;

import org.anytls4j.testkit.LeakRecorder;

import java.util.List;

/**
 * Asks Netty's leak detector (paranoid in every test JVM) now and then during a fuzzing run: the per-input
 * {@link TrackingAllocator} check sees only buffers of that allocator, the detector sees all, but needs a garbage
 * collection, which is too slow for every input. In regression mode the testkit checks after each test anyway.
 */
final class LeakChecks {
    private static final int EVERY = 20_000;
    private static int inputs;

    private LeakChecks() {
    }

    static void everyNthInput() {
        if (++inputs % EVERY != 0 || !LeakRecorder.isInstalled()) {
            return;
        }
        List<String> leaks = LeakRecorder.collectLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leak(s):\n" + String.join("\n\n", leaks));
        }
    }
}
