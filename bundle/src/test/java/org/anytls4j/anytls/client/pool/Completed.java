package org.anytls4j.anytls.client.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The pool tests' fake dialers complete synchronously: a stage they expect done is checked, never waited for. */
final class Completed {
    private Completed() {
    }

    /** The value of {@code stage}, which must be complete already (a test that would wait fails at once instead). */
    static <T> T now(CompletionStage<T> stage) {
        CompletableFuture<T> future = stage.toCompletableFuture();
        assertThat(future).as("completed at once").isDone();
        return future.join();
    }
}
