package org.anytls4j.anytls.client;

import org.anytls4j.anytls.client.pool.PoolClock;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.client.pool.PoolScheduler;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.padding.PaddingRandom;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.session.ClientSessionOptions;
import org.anytls4j.anytls.tls.ClientTlsOptions;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything an {@link AnyTlsClientTransport} is made of. Free of OSGi: the client component fills it from its
 * configuration ({@link ClientTransportFactory}), tools and tests through {@link #builder}.
 *
 * @param server        the AnyTLS server, unresolved: a host name is resolved when a session is dialled
 * @param earlyDataWindow how recently a reused session must have heard from the server for an early-data open
 *                        on it to complete at once ({@link ClientSessionOptions#earlyDataWindow()})
 * @param openTimeout   how long an open may take, dial included, when the request sets no timeout of its own
 * @param paddingScheme the scheme of the first session (a server may push another, §9.6)
 * @param poolScheduler time for the pool; null = the transport's event loops
 */
public record ClientTransportOptions(String name, InetSocketAddress server, String password, ClientTlsOptions tls,
        PoolOptions pool, Duration connectTimeout, Duration synackTimeout, Duration earlyDataWindow,
        Duration heartbeatInterval,
        Duration heartbeatTimeout, Duration openTimeout, PaddingScheme paddingScheme, PaddingRandom random,
        PoolClock poolClock, PoolScheduler poolScheduler, Clock wallClock) {

    /** @throws IllegalArgumentException when the server or password is missing */
    public ClientTransportOptions {
        Objects.requireNonNull(name, "name");
        if (server == null) {
            throw new IllegalArgumentException("transport '" + name + "' needs a server");
        }
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("transport '" + name + "' needs a password");
        }
    }

    /** A copy whose first sessions pad with {@code scheme}. */
    public ClientTransportOptions withPaddingScheme(PaddingScheme scheme) {
        return new ClientTransportOptions(name, server, password, tls, pool, connectTimeout, synackTimeout,
                earlyDataWindow, heartbeatInterval, heartbeatTimeout, openTimeout, scheme, random, poolClock, poolScheduler, wallClock);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "ClientTransportOptions[" + name + " -> " + server.getHostString() + ":" + server.getPort() + "]";
    }

    /** Options with the defaults below; {@link Builder#build()} makes the transport on {@code io}. */
    public static Builder builder(String name, IoRuntime io) {
        return new Builder(name, io);
    }

    /** Defaults: connect 5 s, SYNACK 3 s, heartbeats off (timeout 10 s), open 15 s, the default padding scheme. */
    public static final class Builder {
        private final String name;
        private final IoRuntime io;
        private InetSocketAddress server;
        private String password;
        private ClientTlsOptions tls = ClientTlsOptions.defaults();
        private PoolOptions pool = PoolOptions.defaults();
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration synackTimeout = Duration.ofSeconds(3);
        private Duration earlyDataWindow = ClientSessionOptions.DEFAULT_EARLY_DATA_WINDOW;
        private Duration heartbeatInterval = Duration.ZERO;
        private Duration heartbeatTimeout = Duration.ofSeconds(10);
        private Duration openTimeout = Duration.ofSeconds(15);
        private PaddingScheme paddingScheme = PaddingScheme.DEFAULT;
        private PaddingRandom random = PaddingRandom.secure();
        private PoolClock poolClock = PoolClock.system();
        private PoolScheduler poolScheduler;
        private Clock wallClock = Clock.systemUTC();

        private Builder(String name, IoRuntime io) {
            this.name = Objects.requireNonNull(name, "name");
            this.io = Objects.requireNonNull(io, "io");
        }

        public Builder server(String host, int port) {
            this.server = InetSocketAddress.createUnresolved(host, port);
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder tls(ClientTlsOptions tls) {
            this.tls = tls;
            return this;
        }

        public Builder pool(PoolOptions options) {
            this.pool = options;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder synackTimeout(Duration timeout) {
            this.synackTimeout = timeout;
            return this;
        }

        public Builder earlyDataWindow(Duration window) {
            this.earlyDataWindow = window;
            return this;
        }

        public Builder heartbeat(Duration interval, Duration timeout) {
            this.heartbeatInterval = interval;
            this.heartbeatTimeout = timeout;
            return this;
        }

        public Builder openTimeout(Duration timeout) {
            this.openTimeout = timeout;
            return this;
        }

        public Builder paddingScheme(PaddingScheme scheme) {
            this.paddingScheme = scheme;
            return this;
        }

        public Builder random(PaddingRandom random) {
            this.random = random;
            return this;
        }

        /** Time for the pool; tests drive it by hand. */
        public Builder poolTime(PoolClock clock, PoolScheduler scheduler) {
            this.poolClock = clock;
            this.poolScheduler = scheduler;
            return this;
        }

        public Builder wallClock(Clock clock) {
            this.wallClock = clock;
            return this;
        }

        public ClientTransportOptions options() {
            return new ClientTransportOptions(name, server, password, tls, pool, connectTimeout, synackTimeout,
                    earlyDataWindow, heartbeatInterval, heartbeatTimeout, openTimeout, paddingScheme, random, poolClock, poolScheduler,
                    wallClock);
        }

        /**
         * @throws IllegalArgumentException when the server or password is missing or the TLS settings cannot be
         *                                  turned into a TLS context (a trusted certificate that does not load)
         */
        public AnyTlsClientTransport build() {
            return AnyTlsClientTransport.create(options(), io);
        }
    }
}
