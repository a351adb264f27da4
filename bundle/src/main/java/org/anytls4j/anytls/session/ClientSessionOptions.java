package org.anytls4j.anytls.session;

import org.anytls4j.anytls.padding.PaddingRandom;
import org.anytls4j.anytls.padding.PaddingScheme;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What a client session needs to know beyond its carrier: the names it reports, its timers, and where its padding
 * scheme lives (one scheme per configured server, replaced when that server pushes a new one, §9.6).
 */
public final class ClientSessionOptions {
    /**
     * A session that answered within the last second is very likely still there (silent deaths come from NATs and
     * firewalls forgetting idle flows, sleeping laptops, server restarts: all after quiet spells), and opens in
     * bursts, such as a page's requests, fall well inside it.
     */
    public static final Duration DEFAULT_EARLY_DATA_WINDOW = Duration.ofSeconds(1);

    private final String transportName;
    private final String clientName;
    private final Duration synackTimeout;
    private final Duration earlyDataWindow;
    private final Duration heartbeatInterval;
    private final Duration heartbeatTimeout;
    private final Supplier<PaddingScheme> paddingScheme;
    private final Consumer<PaddingScheme> paddingSchemeUpdates;
    private final PaddingRandom random;

    private ClientSessionOptions(Builder builder) {
        this.transportName = Objects.requireNonNull(builder.transportName, "transportName");
        this.clientName = Objects.requireNonNull(builder.clientName, "clientName");
        this.synackTimeout = Objects.requireNonNull(builder.synackTimeout, "synackTimeout");
        this.earlyDataWindow = Objects.requireNonNull(builder.earlyDataWindow, "earlyDataWindow");
        this.heartbeatInterval = Objects.requireNonNull(builder.heartbeatInterval, "heartbeatInterval");
        this.heartbeatTimeout = Objects.requireNonNull(builder.heartbeatTimeout, "heartbeatTimeout");
        this.paddingScheme = Objects.requireNonNull(builder.paddingScheme, "paddingScheme");
        this.paddingSchemeUpdates = Objects.requireNonNull(builder.paddingSchemeUpdates, "paddingSchemeUpdates");
        this.random = Objects.requireNonNull(builder.random, "random");
    }

    public static Builder builder(String transportName) {
        return new Builder(transportName);
    }

    public String transportName() {
        return transportName;
    }

    /** The {@code client=} value of the Settings frame; the docs ask third parties to report their real name. */
    public String clientName() {
        return clientName;
    }

    /**
     * How long a stream on a reused v2 session waits for any sign of life before its session is declared dead;
     * zero switches the watchdog off.
     */
    public Duration synackTimeout() {
        return synackTimeout;
    }

    /**
     * How recently a reused session must have received a frame for an early-data open on it to complete at once;
     * an older (or never heard from) session confirms the open first, so that a dead one is found before the
     * application has the channel. Zero: every reused session confirms first.
     */
    public Duration earlyDataWindow() {
        return earlyDataWindow;
    }

    /** Idle time after which a HeartRequest probes a v2 peer; zero disables active heartbeats. */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    public Supplier<PaddingScheme> paddingScheme() {
        return paddingScheme;
    }

    public Consumer<PaddingScheme> paddingSchemeUpdates() {
        return paddingSchemeUpdates;
    }

    public PaddingRandom random() {
        return random;
    }

    public static final class Builder {
        private final String transportName;
        private String clientName = AnyTls4jVersion.clientName();
        private Duration synackTimeout = Duration.ofSeconds(3);
        private Duration earlyDataWindow = DEFAULT_EARLY_DATA_WINDOW;
        private Duration heartbeatInterval = Duration.ZERO;
        private Duration heartbeatTimeout = Duration.ofSeconds(10);
        private Supplier<PaddingScheme> paddingScheme = () -> PaddingScheme.DEFAULT;
        private Consumer<PaddingScheme> paddingSchemeUpdates = scheme -> { };
        private PaddingRandom random = PaddingRandom.secure();

        private Builder(String transportName) {
            this.transportName = transportName;
        }

        public Builder clientName(String clientName) {
            this.clientName = clientName;
            return this;
        }

        public Builder synackTimeout(Duration synackTimeout) {
            this.synackTimeout = synackTimeout;
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

        /** Where the current scheme is read at every write and where a scheme pushed by the server goes. */
        public Builder paddingScheme(Supplier<PaddingScheme> current, Consumer<PaddingScheme> updates) {
            this.paddingScheme = current;
            this.paddingSchemeUpdates = updates;
            return this;
        }

        public Builder random(PaddingRandom random) {
            this.random = random;
            return this;
        }

        public ClientSessionOptions build() {
            return new ClientSessionOptions(this);
        }
    }
}
