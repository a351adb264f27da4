package org.anytls4j.anytls.config;

import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.session.ClientSessionOptions;
import org.anytls4j.anytls.tls.AlpnProtocols;
import org.anytls4j.anytls.tls.SpkiPins;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.anytls.tls.fingerprint.BouncyCastleAvailability;
import static org.anytls4j.anytls.config.ClientProperties.ALPN;
import static org.anytls4j.anytls.config.ClientProperties.CONNECT_TIMEOUT;
import static org.anytls4j.anytls.config.ClientProperties.DISABLE_REUSE;
import static org.anytls4j.anytls.config.ClientProperties.EARLY_DATA_WINDOW;
import static org.anytls4j.anytls.config.ClientProperties.HANDSHAKE_TIMEOUT;
import static org.anytls4j.anytls.config.ClientProperties.HEARTBEAT_INTERVAL;
import static org.anytls4j.anytls.config.ClientProperties.HEARTBEAT_TIMEOUT;
import static org.anytls4j.anytls.config.ClientProperties.IDLE_SESSION_CHECK_INTERVAL;
import static org.anytls4j.anytls.config.ClientProperties.IDLE_SESSION_TIMEOUT;
import static org.anytls4j.anytls.config.ClientProperties.INSECURE;
import static org.anytls4j.anytls.config.ClientProperties.MAX_SESSIONS;
import static org.anytls4j.anytls.config.ClientProperties.MAX_SESSION_AGE;
import static org.anytls4j.anytls.config.ClientProperties.MIN_IDLE_SESSIONS;
import static org.anytls4j.anytls.config.ClientProperties.NAME;
import static org.anytls4j.anytls.config.ClientProperties.PASSWORD;
import static org.anytls4j.anytls.config.ClientProperties.PINNED_PUBLIC_KEY_SHA256;
import static org.anytls4j.anytls.config.ClientProperties.SERVER;
import static org.anytls4j.anytls.config.ClientProperties.SNI;
import static org.anytls4j.anytls.config.ClientProperties.SYNACK_TIMEOUT;
import static org.anytls4j.anytls.config.ClientProperties.TLS_PROVIDER;
import static org.anytls4j.anytls.config.ClientProperties.TRUSTED_CERTIFICATE;
import static org.anytls4j.anytls.config.ClientProperties.URI;
import static org.anytls4j.anytls.config.ClientProperties.WARM_IDLE_SESSIONS;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Everything an AnyTLS client transport instance needs, validated, from one factory configuration of
 * {@value ClientProperties#FACTORY_PID}. See {@code docs/configuration.md} for every property and its default.
 *
 * <p>The server and password come from {@code server} and {@code .password}, or from {@code .uri}, or both; when
 * both give a value they must agree, otherwise the configuration is rejected naming {@code .uri}. Picking one
 * silently would hide a stale URI or a stale password until the first failed connection.
 */
public final class ClientSettings {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    /** The reference's watchdog (§8.3, §15); zero switches the watchdog off. */
    public static final Duration DEFAULT_SYNACK_TIMEOUT = Duration.ofSeconds(3);
    /** Off: no reference implementation sends heartbeat requests (§10), so peers see the same traffic. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ZERO;
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_IDLE_SESSION_CHECK_INTERVAL = Duration.ofSeconds(30);
    /** anytls-rs' 60 s rather than the Go family's 30 s: fewer TLS handshakes, well under common NAT timeouts. */
    public static final Duration DEFAULT_IDLE_SESSION_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MIN_IDLE_SESSIONS = 1;
    public static final int MAX_MIN_IDLE_SESSIONS = 1024;
    public static final int MAX_MAX_SESSIONS = 65535;


    private final String name;
    private final HostPort server;
    private final Secret password;
    private final Optional<String> sni;
    private final boolean insecure;
    private final Optional<Path> trustedCertificate;
    private final List<String> pinnedPublicKeySha256;
    private final List<String> alpn;
    private final TlsProvider tlsProvider;
    private final String fingerprint;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;
    private final Duration synackTimeout;
    private final Duration earlyDataWindow;
    private final Duration heartbeatInterval;
    private final Duration heartbeatTimeout;
    private final PoolOptions pool;

    private ClientSettings(String name, HostPort server, Secret password, Optional<String> sni, boolean insecure,
            Optional<Path> trustedCertificate, List<String> pinnedPublicKeySha256, List<String> alpn,
            TlsProvider tlsProvider, String fingerprint, Duration connectTimeout, Duration handshakeTimeout,
            Duration synackTimeout, Duration earlyDataWindow, Duration heartbeatInterval, Duration heartbeatTimeout,
            PoolOptions pool) {
        this.name = name;
        this.server = server;
        this.password = password;
        this.sni = sni;
        this.insecure = insecure;
        this.trustedCertificate = trustedCertificate;
        this.pinnedPublicKeySha256 = List.copyOf(pinnedPublicKeySha256);
        this.alpn = List.copyOf(alpn);
        this.tlsProvider = tlsProvider;
        this.fingerprint = fingerprint;
        this.connectTimeout = connectTimeout;
        this.handshakeTimeout = handshakeTimeout;
        this.synackTimeout = synackTimeout;
        this.earlyDataWindow = earlyDataWindow;
        this.heartbeatInterval = heartbeatInterval;
        this.heartbeatTimeout = heartbeatTimeout;
        this.pool = pool;
    }

    /**
     * Reads and validates a configuration.
     *
     * @throws InvalidConfigurationException naming the first property whose value cannot be used
     */
    public static ClientSettings from(Map<String, ?> properties) {
        return from(new ConfigReader(properties));
    }

    /**
     * Like {@link #from(Map)}; the reader then knows which properties were read, so the caller can report
     * {@link ConfigReader#unreadNames() unread ones}.
     */
    public static ClientSettings from(ConfigReader config) {
        return from(config, BouncyCastleAvailability::problem);
    }

    /**
     * Like {@link #from(ConfigReader)}, asking {@code fingerprintEngineProblem} whether a {@code fingerprint} other
     * than {@code none} can run here (empty = yes).
     */
    static ClientSettings from(ConfigReader config, Supplier<Optional<String>> fingerprintEngineProblem) {
        config.rejectPublished(PASSWORD);
        config.rejectPublished(URI);
        // Every property is read before any is combined with another, so a configuration is checked whole
        // and the reader's record of names read does not depend on the values.
        String name = config.instanceName(NAME);
        Optional<HostPort> explicitServer = config.hostPort(SERVER);
        Optional<AnyTlsUri> uri = config.secretString(URI).map(UriAgreement::parse);
        Optional<Secret> explicitPassword = config.secret(PASSWORD);
        Optional<String> explicitSni = config.optionalString(SNI);
        Optional<Boolean> explicitInsecure = config.optionalBool(INSECURE);
        Optional<Path> trustedCertificate = config.readableFile(TRUSTED_CERTIFICATE);
        List<String> pins = parsePins(config.stringList(PINNED_PUBLIC_KEY_SHA256));
        List<String> alpn = checkAlpn(config.stringList(ALPN));
        TlsProvider tlsProvider = config.enumValue(TLS_PROVIDER, TlsProvider.AUTO);
        Optional<String> explicitFingerprint = FingerprintSetting.read(config);
        Duration connectTimeout = config.positiveDuration(CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT);
        Duration handshakeTimeout = config.positiveDuration(HANDSHAKE_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT);
        Duration synackTimeout = config.duration(SYNACK_TIMEOUT, DEFAULT_SYNACK_TIMEOUT);
        Duration earlyDataWindow = config.duration(EARLY_DATA_WINDOW, ClientSessionOptions.DEFAULT_EARLY_DATA_WINDOW);
        Duration heartbeatInterval = config.duration(HEARTBEAT_INTERVAL, DEFAULT_HEARTBEAT_INTERVAL);
        Duration heartbeatTimeout = config.positiveDuration(HEARTBEAT_TIMEOUT, DEFAULT_HEARTBEAT_TIMEOUT);
        PoolOptions pool = readPool(config);

        explicitSni.ifPresent(value -> {
            if (!HostSyntax.isHost(value)) {
                throw InvalidConfigurationException.of(SNI, value, "not a host name or IP address");
            }
        });
        HostPort server = UriAgreement.server(explicitServer, uri);
        Secret password = UriAgreement.password(explicitPassword, uri);
        Optional<String> sni = UriAgreement.sni(explicitSni, uri, server);
        boolean insecure = UriAgreement.insecure(explicitInsecure, uri);
        String fingerprint = FingerprintSetting.resolve(explicitFingerprint, uri, fingerprintEngineProblem);
        if (insecure && trustedCertificate.isPresent()) {
            throw InvalidConfigurationException.of(INSECURE, true,
                    "contradicts '" + TRUSTED_CERTIFICATE + "': insecure skips the verification it configures");
        }
        if (insecure && !pins.isEmpty()) {
            throw InvalidConfigurationException.of(INSECURE, true,
                    "contradicts '" + PINNED_PUBLIC_KEY_SHA256 + "': insecure skips the verification it configures");
        }
        return new ClientSettings(name, server, password, sni, insecure, trustedCertificate, pins, alpn,
                tlsProvider, fingerprint, connectTimeout, handshakeTimeout, synackTimeout, earlyDataWindow,
                heartbeatInterval, heartbeatTimeout, pool);
    }

    /** The instance name, published as the {@code transport.name} service property. */
    public String name() {
        return name;
    }

    public HostPort server() {
        return server;
    }

    public String serverHost() {
        return server.host();
    }

    public int serverPort() {
        return server.port();
    }

    public Secret password() {
        return password;
    }

    /**
     * The TLS server name to send: the configured {@code sni}, else the URI's, else the server host. Empty when
     * that name is an IP literal: RFC 6066 forbids IP addresses in SNI, and §14 says to send none then.
     */
    public Optional<String> sni() {
        return sni;
    }

    /** Skip certificate verification (spec §14 {@code insecure=1}). */
    public boolean insecure() {
        return insecure;
    }

    /** A PEM file of certificates to trust instead of the platform's trust store; checked to be readable. */
    public Optional<Path> trustedCertificate() {
        return trustedCertificate;
    }

    /** SHA-256 pins of the server's public key (SubjectPublicKeyInfo), as 64 lower-case hex digits each. */
    public List<String> pinnedPublicKeySha256() {
        return pinnedPublicKeySha256;
    }

    /** ALPN protocol names to offer, in order; empty = no ALPN extension (as every reference client). */
    public List<String> alpn() {
        return alpn;
    }

    public TlsProvider tlsProvider() {
        return tlsProvider;
    }

    /**
     * The ClientHello to look like, in lower case: {@code none} (the engine of {@link #tlsProvider()}) or a browser
     * profile such as {@code chrome} (the Bouncy Castle engine, whatever {@code tlsProvider} says).
     */
    public String fingerprint() {
        return fingerprint;
    }

    /** TCP connect timeout for a new session. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** TLS handshake timeout for a new session. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** How long a stream on a reused v2 session waits for SYNACK before the session is closed; zero = never. */
    public Duration synackTimeout() {
        return synackTimeout;
    }

    /** How recently a reused session must have heard from the server to take an early-data open at once. */
    public Duration earlyDataWindow() {
        return earlyDataWindow;
    }

    /** Interval between heartbeat requests on a v2 session; zero = heartbeats off. */
    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** How long a session may stay silent after a heartbeat request before it is closed. */
    public Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    public PoolOptions pool() {
        return pool;
    }

    /**
     * Whether {@code other} differs from these settings in pool options at most (also true when nothing differs),
     * so that a running transport can adopt it without closing its sessions.
     */
    public boolean isPoolOnlyChange(ClientSettings other) {
        Objects.requireNonNull(other, "other");
        return withoutPool().equals(other.withoutPool());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClientSettings && withoutPool().equals(((ClientSettings) other).withoutPool())
                && pool.equals(((ClientSettings) other).pool);
    }

    @Override
    public int hashCode() {
        return Objects.hash(withoutPool(), pool);
    }

    /** All settings; the password shows as {@code ***}. */
    @Override
    public String toString() {
        return "ClientSettings[name=" + name + ", server=" + server + ", password=" + password
                + ", sni=" + sni.orElse("<none>") + ", insecure=" + insecure
                + ", trustedCertificate=" + trustedCertificate.map(Path::toString).orElse("<none>")
                + ", pinnedPublicKeySha256=" + pinnedPublicKeySha256 + ", alpn=" + alpn
                + ", tlsProvider=" + tlsProvider.name().toLowerCase(Locale.ROOT) + ", fingerprint=" + fingerprint
                + ", connectTimeout=" + connectTimeout + ", handshakeTimeout=" + handshakeTimeout
                + ", synackTimeout=" + synackTimeout + ", earlyDataWindow=" + earlyDataWindow
                + ", heartbeatInterval=" + heartbeatInterval
                + ", heartbeatTimeout=" + heartbeatTimeout + ", pool=" + pool + "]";
    }

    /** Every field but the pool, as a list compared by value (Secret compares in constant time). */
    private List<Object> withoutPool() {
        return List.of(name, server, password, sni, insecure, trustedCertificate, pinnedPublicKeySha256, alpn,
                tlsProvider, fingerprint, connectTimeout, handshakeTimeout, synackTimeout, earlyDataWindow,
                heartbeatInterval, heartbeatTimeout);
    }

    private static PoolOptions readPool(ConfigReader config) {
        Duration checkInterval = config.positiveDuration(IDLE_SESSION_CHECK_INTERVAL,
                DEFAULT_IDLE_SESSION_CHECK_INTERVAL);
        Duration idleTimeout = config.positiveDuration(IDLE_SESSION_TIMEOUT, DEFAULT_IDLE_SESSION_TIMEOUT);
        int minIdle = config.intInRange(MIN_IDLE_SESSIONS, DEFAULT_MIN_IDLE_SESSIONS, 0, MAX_MIN_IDLE_SESSIONS);
        boolean disableReuse = config.bool(DISABLE_REUSE, false);
        int maxSessions = config.intInRange(MAX_SESSIONS, 0, 0, MAX_MAX_SESSIONS);
        boolean warm = config.bool(WARM_IDLE_SESSIONS, false);
        Duration maxSessionAge = config.duration(MAX_SESSION_AGE, Duration.ZERO);
        if (maxSessions > 0 && minIdle > maxSessions) {
            throw InvalidConfigurationException.of(MIN_IDLE_SESSIONS, minIdle,
                    "exceeds " + MAX_SESSIONS + " = " + maxSessions);
        }
        if (warm && disableReuse) {
            throw InvalidConfigurationException.of(WARM_IDLE_SESSIONS, true,
                    "contradicts " + DISABLE_REUSE + " = true: warm sessions only serve when sessions are reused");
        }
        if (warm && minIdle == 0) {
            throw InvalidConfigurationException.of(WARM_IDLE_SESSIONS, true,
                    "nothing to warm: " + MIN_IDLE_SESSIONS + " is 0");
        }
        // Checked above naming the properties; the record's own checks are the engine's safety net.
        return new PoolOptions(checkInterval, idleTimeout, minIdle, disableReuse, maxSessions, warm,
                maxSessionAge);
    }

    /** Pins in any form {@link SpkiPins#decode} accepts (hex, base64, {@code sha256/<base64>}); normalised to hex. */
    private static List<String> parsePins(List<String> entries) {
        Set<String> pins = new LinkedHashSet<>();
        for (String entry : entries) {
            try {
                pins.add(HexFormat.of().formatHex(SpkiPins.decode(entry)));
            } catch (IllegalArgumentException e) {
                throw InvalidConfigurationException.of(PINNED_PUBLIC_KEY_SHA256, entry,
                        "expected a SHA-256 digest as 64 hex digits or base64");
            }
        }
        return new ArrayList<>(pins);
    }

    private static List<String> checkAlpn(List<String> protocols) {
        AlpnProtocols.firstViolation(protocols).ifPresent(violation -> {
            throw InvalidConfigurationException.of(ALPN, violation.protocol(), violation.reason());
        });
        return List.copyOf(protocols);
    }
}
