package org.anytls4j.anytls.session;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/** Channel attributes the session layer sets on its streams. */
public final class StreamAttributes {
    /** The authenticated user a server-side stream belongs to. */
    public static final AttributeKey<String> USER = AttributeKey.valueOf("anytls4j.stream.user");

    /** Server side: how the stream's handler tells the client the outcome of its outbound connect (§8.3). */
    static final AttributeKey<ConnectResultReporter> CONNECT_RESULT =
            AttributeKey.valueOf("anytls4j.stream.connectResult");

    private StreamAttributes() {
    }

    /** Reports a server-side stream's outbound result to the client: SYNACK, empty on success. */
    @FunctionalInterface
    interface ConnectResultReporter {
        void report(String error);
    }

    /**
     * Server side: tells the client how the outbound connect of {@code stream} went: {@code null} or empty for success,
     * else the error text (§8.3). v1 clients get nothing; a stream that is not a server-side AnyTLS stream is ignored.
     * Safe from any thread.
     */
    public static void reportConnectResult(Channel stream, String error) {
        ConnectResultReporter reporter = stream.attr(CONNECT_RESULT).get();
        if (reporter == null) {
            return;
        }
        if (stream.eventLoop().inEventLoop()) {
            reporter.report(error);
        } else {
            stream.eventLoop().execute(() -> reporter.report(error));
        }
    }
}
