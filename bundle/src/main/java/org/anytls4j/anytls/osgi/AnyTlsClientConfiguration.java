package org.anytls4j.anytls.osgi;

import org.anytls4j.anytls.config.ClientProperties;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Metatype description of one AnyTLS client transport, one per factory configuration.
 *
 * <p>Method names map to property names by the DS/Metatype rules ('_' → '.', leading '_' → leading '.'), so
 * {@code transport_name()} is {@code transport.name} and {@code _password()} is {@code .password}. Every
 * property without a leading dot is published by DS as a service property; every secret therefore has one.
 *
 * <p>The component should read its configuration as a {@code Map} through
 * {@link org.anytls4j.anytls.config.ClientSettings#from(java.util.Map)} rather than through this type's
 * methods: DS would turn a comma-separated {@code alpn} from a {@code .cfg} file into a one-element array, and
 * the settings class validates every value with a message naming the property. The Designate element comes
 * from {@code factoryPid} here, so the component must not add its own {@code @Designate}.
 */
@ObjectClassDefinition(
        id = ClientProperties.FACTORY_PID,
        factoryPid = ClientProperties.FACTORY_PID,
        name = "AnyTLS client transport",
        description = "One outbound AnyTLS transport with its own session pool. Durations are written as 30s, "
                + "500ms, 2m, 1h, 1m30s, PT30S, or a whole number of seconds.")
public @interface AnyTlsClientConfiguration {

    @AttributeDefinition(name = "Transport name",
            description = "Instance name, 1 to 64 of A-Z a-z 0-9 . _ -; published as the transport.name service "
                    + "property and used in logs.")
    String transport_name();

    @AttributeDefinition(name = "Server", required = false,
            description = "AnyTLS server as host:port or [IPv6]:port. Required unless the URI gives it.")
    String server();

    @AttributeDefinition(name = "URI", type = AttributeType.PASSWORD, required = false,
            description = "anytls://password@host:port/?sni=...&insecure=1&fp=chrome (port defaults to 443). "
                    + "Secret, as it carries the password. Values also set by other properties must agree with them.")
    String _uri();

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
            description = "The AnyTLS password. Required unless the URI gives it. Never published or logged.")
    String _password();

    @AttributeDefinition(name = "SNI", required = false,
            description = "TLS server name. Default: the URI's sni, else the server host. An IP address means: "
                    + "send no SNI.")
    String sni();

    @AttributeDefinition(name = "Insecure",
            description = "Skip certificate verification (testing only). Default false.")
    boolean insecure() default false;

    @AttributeDefinition(name = "Trusted certificate", required = false,
            description = "Absolute path of a PEM file with the certificates to trust instead of the system "
                    + "trust store.")
    String trustedCertificate();

    @AttributeDefinition(name = "Pinned public keys", required = false,
            description = "SHA-256 digests of the server's public key (SubjectPublicKeyInfo) to accept, each as "
                    + "64 hex digits, base64, or sha256/<base64>.")
    String[] pinnedPublicKeySha256();

    @AttributeDefinition(name = "ALPN", required = false,
            description = "ALPN protocol names to offer, in order. Default: none.")
    String[] alpn();

    @AttributeDefinition(name = "TLS provider",
            description = "TLS implementation: auto (OpenSSL when available, else JDK), jdk or openssl.",
            options = {
                @Option(value = "auto", label = "Automatic"),
                @Option(value = "jdk", label = "JDK"),
                @Option(value = "openssl", label = "OpenSSL (netty-tcnative)")
            })
    String tlsProvider() default "auto";

    @AttributeDefinition(name = "ClientHello fingerprint",
            description = "The TLS ClientHello to send: none (the TLS provider's own) or chrome (Chrome's, on "
                    + "Bouncy Castle 1.84: install the anytls4j-fingerprint feature; tlsProvider is then unused). "
                    + "Default none.",
            options = {
                @Option(value = "none", label = "None (the TLS provider's hello)"),
                @Option(value = "chrome", label = "Chrome")
            })
    String fingerprint() default "none";

    @AttributeDefinition(name = "Connect timeout", description = "TCP connect timeout. Default 5s.")
    String connectTimeout() default "5s";

    @AttributeDefinition(name = "TLS handshake timeout", description = "TLS handshake timeout. Default 5s.")
    String handshakeTimeout() default "5s";

    @AttributeDefinition(name = "SYNACK timeout",
            description = "How long a stream on a reused session waits for the server's SYNACK before the "
                    + "session is closed, as the reference does. 0 disables the watchdog. Default 3s.")
    String synackTimeout() default "3s";

    @AttributeDefinition(name = "Early-data window",
            description = "An early-data open (from a host with earlyData on) on a reused session completes at "
                    + "once, before the server confirms it, only if that session heard from the server within this "
                    + "window; a session quiet for longer confirms the open first, so that a dead one is found and "
                    + "the open moved to a new session. 0 = reused sessions always confirm first. Default 1s.")
    String earlyDataWindow() default "1s";

    @AttributeDefinition(name = "Heartbeat interval",
            description = "Interval of heartbeat requests on idle sessions of protocol version 2. 0 = off, like "
                    + "every reference client. Default 0.")
    String heartbeatInterval() default "0";

    @AttributeDefinition(name = "Heartbeat timeout",
            description = "A session silent this long after a heartbeat request is closed. Default 10s.")
    String heartbeatTimeout() default "10s";

    @AttributeDefinition(name = "Idle session check interval",
            description = "How often idle sessions are examined. Default 30s. Not clamped.")
    String idleSessionCheckInterval() default "30s";

    @AttributeDefinition(name = "Idle session timeout",
            description = "Idle sessions older than this are closed, except the newest minIdleSessions. "
                    + "Default 60s. Not clamped.")
    String idleSessionTimeout() default "60s";

    @AttributeDefinition(name = "Minimum idle sessions", min = "0", max = "1024",
            description = "Number of newest idle sessions kept open past the idle timeout. Default 1.")
    int minIdleSessions() default 1;

    @AttributeDefinition(name = "Disable reuse",
            description = "Close each session when its stream ends instead of reusing it. Default false.")
    boolean disableReuse() default false;

    @AttributeDefinition(name = "Maximum sessions", min = "0", max = "65535",
            description = "Upper bound on open sessions; 0 = unlimited. Default 0.")
    int maxSessions() default 0;

    @AttributeDefinition(name = "Warm idle sessions",
            description = "Open minIdleSessions sessions ahead of demand and keep that many ready. Default false.")
    boolean warmIdleSessions() default false;

    @AttributeDefinition(name = "Maximum session age",
            description = "Sessions older than this are not reused; 0 = unlimited. Default 0.")
    String maxSessionAge() default "0";
}
