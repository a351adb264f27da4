package org.anytls4j.anytls.session;

import io.netty.channel.ChannelHandler;
import org.anytls4j.anytls.padding.PaddingScheme;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/** What a server-side session needs: its server's name, padding scheme, limits, and the stream handler. */
public final class ServerSessionOptions {
    private final String serverName;
    private final Supplier<PaddingScheme> paddingScheme;
    private final int maxStreamsPerSession;
    private final Duration idleSessionTimeout;
    private final Supplier<ChannelHandler> streamHandler;

    private ServerSessionOptions(Builder builder) {
        this.serverName = Objects.requireNonNull(builder.serverName, "serverName");
        this.paddingScheme = Objects.requireNonNull(builder.paddingScheme, "paddingScheme");
        this.maxStreamsPerSession = builder.maxStreamsPerSession;
        this.idleSessionTimeout = Objects.requireNonNull(builder.idleSessionTimeout, "idleSessionTimeout");
        this.streamHandler = Objects.requireNonNull(builder.streamHandler, "streamHandler");
        if (maxStreamsPerSession < 1) {
            throw new IllegalArgumentException("maxStreamsPerSession must be at least 1, not " + maxStreamsPerSession);
        }
    }

    public static Builder builder(String serverName, Supplier<ChannelHandler> streamHandler) {
        return new Builder(serverName, streamHandler);
    }

    public String serverName() {
        return serverName;
    }

    /** The scheme pushed to clients whose padding-md5 differs (§9.6). */
    public Supplier<PaddingScheme> paddingScheme() {
        return paddingScheme;
    }

    public int maxStreamsPerSession() {
        return maxStreamsPerSession;
    }

    /** A session without streams for this long is closed; zero keeps idle sessions open. */
    public Duration idleSessionTimeout() {
        return idleSessionTimeout;
    }

    /** Makes the handler of each new stream (it reads the destination, connects, reports SYNACK, relays). */
    public Supplier<ChannelHandler> streamHandler() {
        return streamHandler;
    }

    public static final class Builder {
        private final String serverName;
        private final Supplier<ChannelHandler> streamHandler;
        private Supplier<PaddingScheme> paddingScheme = () -> PaddingScheme.DEFAULT;
        private int maxStreamsPerSession = 1024;
        private Duration idleSessionTimeout = Duration.ZERO;

        private Builder(String serverName, Supplier<ChannelHandler> streamHandler) {
            this.serverName = serverName;
            this.streamHandler = streamHandler;
        }

        public Builder paddingScheme(Supplier<PaddingScheme> paddingScheme) {
            this.paddingScheme = paddingScheme;
            return this;
        }

        public Builder maxStreamsPerSession(int maxStreamsPerSession) {
            this.maxStreamsPerSession = maxStreamsPerSession;
            return this;
        }

        public Builder idleSessionTimeout(Duration idleSessionTimeout) {
            this.idleSessionTimeout = idleSessionTimeout;
            return this;
        }

        public ServerSessionOptions build() {
            return new ServerSessionOptions(this);
        }
    }
}
