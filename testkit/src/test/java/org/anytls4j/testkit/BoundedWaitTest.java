package org.anytls4j.testkit;

import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.Promise;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BoundedWaitTest {
    private static Promise<String> promise() {
        return new DefaultPromise<>(GlobalEventExecutor.INSTANCE);
    }

    @Test
    void aFutureThatNeverCompletesFailsWithTheBoundAndTheFuture() {
        Promise<String> never = promise();
        AssertionError timedOut = assertThrows(AssertionError.class,
            () -> BoundedWait.sync(never, Duration.ofMillis(20)));
        assertTrue(timedOut.getMessage().startsWith("not done within 20 ms: "), timedOut.getMessage());
        assertThrows(AssertionError.class, () -> BoundedWait.done(never, Duration.ofMillis(20)));
    }

    @Test
    void syncReturnsASucceededFutureAndThrowsAFailedOnesCause() {
        Promise<String> succeeded = promise().setSuccess("ok");
        assertSame(succeeded, BoundedWait.sync(succeeded));

        IllegalArgumentException unchecked = new IllegalArgumentException("bad");
        assertSame(unchecked, assertThrows(IllegalArgumentException.class,
            () -> BoundedWait.sync(promise().setFailure(unchecked))));

        IOException checked = new IOException("refused");
        IllegalStateException wrapped = assertThrows(IllegalStateException.class,
            () -> BoundedWait.sync(promise().setFailure(checked)));
        assertSame(checked, wrapped.getCause());
    }

    @Test
    void doneLeavesTheOutcomeToTheCaller() {
        IOException checked = new IOException("refused");
        Promise<String> failed = promise().setFailure(checked);
        assertEquals(checked, BoundedWait.done(failed).cause());
    }
}
