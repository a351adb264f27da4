package org.anytls4j.testkit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.List;

/**
 * Fails the test during which Netty's leak detector reported a leaked buffer.
 *
 * <p>Registered for every test of a module that depends on the testkit, through JUnit's extension
 * auto-detection (switched on in the parent POM's Surefire configuration).
 */
public final class FailOnLeakExtension implements BeforeAllCallback, AfterEachCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        LeakRecorder.install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> leaks = LeakRecorder.collectLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leak(s) during or before "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }
}
