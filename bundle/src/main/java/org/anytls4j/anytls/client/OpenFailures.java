package org.anytls4j.anytls.client;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.anytls4j.anytls.client.pool.PoolException;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/** Turns what an open can fail with (pool errors, session errors, cancellation, its deadline) into the SPI's errors. */
final class OpenFailures {
    private final String transportName;

    OpenFailures(String transportName) {
        this.transportName = transportName;
    }

    /** A failed open on an executor that still runs: a transport's own loops may have stopped as it closed. */
    static Future<Channel> onRunningExecutor(EventLoop preferredLoop, Throwable cause) {
        EventExecutor executor = preferredLoop != null && !preferredLoop.isShuttingDown() ? preferredLoop
                : GlobalEventExecutor.INSTANCE;
        return executor.newFailedFuture(cause);
    }

    TransportException closed() {
        return new TransportException(Reason.SHUTDOWN, Phase.QUEUE, transportName, "the transport is closed", null);
    }

    /** The request's open timeout ran out; {@code leased} tells whether a session had been found by then. */
    TransportException timedOut(Duration timeout, boolean leased) {
        return leased
                ? new TransportException(Reason.TIMEOUT, Phase.STREAM_OPEN, transportName,
                        "the stream was not confirmed within " + timeout.toMillis() + " ms", null)
                : new TransportException(Reason.TIMEOUT, Phase.QUEUE, transportName,
                        "no session within " + timeout.toMillis()
                                + " ms (connecting, the TLS handshake or authentication did not finish)", null);
    }

    /** Why {@code SessionPool.acquire} failed. */
    TransportException fromPool(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (!(cause instanceof PoolException)) {
            return from(cause);
        }
        PoolException poolError = (PoolException) cause;
        switch (poolError.kind()) {
            case EXHAUSTED:
                return new TransportException(Reason.RESOURCE_EXHAUSTED, Phase.QUEUE, transportName,
                        poolError.getMessage(), poolError);
            case SHUT_DOWN:
                return new TransportException(Reason.SHUTDOWN, Phase.QUEUE, transportName, poolError.getMessage(),
                        poolError);
            default:
                return from(poolError.getCause() != null ? poolError.getCause() : poolError);
        }
    }

    /** Why a stream open on a session failed. */
    TransportException from(Throwable cause) {
        if (cause instanceof TransportException) {
            return (TransportException) cause;
        }
        if (cause instanceof CancellationException) {
            return new TransportException(Reason.CANCELLED, Phase.STREAM_OPEN, transportName, "the open was cancelled",
                    cause);
        }
        return new TransportException(Reason.INTERNAL, Phase.STREAM_OPEN, transportName, String.valueOf(cause), cause);
    }
}
