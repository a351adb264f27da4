package org.anytls4j.anytls.config;

/**
 * Names of the configuration properties of factory PID {@value #FACTORY_PID}, as {@link ClientSettings} reads
 * them. Names with a leading dot are secrets: Declarative Services does not publish them as service properties.
 * Everything else is published, which is why the URI (it carries the password) is {@code .uri}.
 */
public final class ClientProperties {

    public static final String FACTORY_PID = "org.anytls4j.anytls.client";

    /** Instance name, published as is: a non-dot property becomes the {@code transport.name} service property. */
    public static final String NAME = "transport.name";
    public static final String SERVER = "server";
    public static final String URI = ".uri";
    public static final String PASSWORD = ".password";
    public static final String SNI = "sni";
    public static final String INSECURE = "insecure";
    public static final String TRUSTED_CERTIFICATE = "trustedCertificate";
    public static final String PINNED_PUBLIC_KEY_SHA256 = "pinnedPublicKeySha256";
    public static final String ALPN = "alpn";
    public static final String TLS_PROVIDER = "tlsProvider";
    public static final String FINGERPRINT = "fingerprint";
    public static final String CONNECT_TIMEOUT = "connectTimeout";
    public static final String HANDSHAKE_TIMEOUT = "handshakeTimeout";
    public static final String SYNACK_TIMEOUT = "synackTimeout";
    public static final String EARLY_DATA_WINDOW = "earlyDataWindow";
    public static final String HEARTBEAT_INTERVAL = "heartbeatInterval";
    public static final String HEARTBEAT_TIMEOUT = "heartbeatTimeout";
    public static final String IDLE_SESSION_CHECK_INTERVAL = "idleSessionCheckInterval";
    public static final String IDLE_SESSION_TIMEOUT = "idleSessionTimeout";
    public static final String MIN_IDLE_SESSIONS = "minIdleSessions";
    public static final String DISABLE_REUSE = "disableReuse";
    public static final String MAX_SESSIONS = "maxSessions";
    public static final String WARM_IDLE_SESSIONS = "warmIdleSessions";
    public static final String MAX_SESSION_AGE = "maxSessionAge";

    private ClientProperties() {
    }
}
