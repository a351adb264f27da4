package org.anytls4j.anytls.config;

/**
 * Names of the configuration properties of factory PID {@value #FACTORY_PID}, as {@link ServerSettings} reads
 * them. Names with a leading dot are secrets: Declarative Services does not publish them as service properties.
 */
public final class ServerProperties {

    public static final String FACTORY_PID = "org.anytls4j.anytls.server";

    public static final String NAME = "name";
    public static final String LISTEN_ADDRESS = "listenAddress";
    public static final String PORT = "port";
    public static final String CERTIFICATE_FILE = "certificateFile";
    public static final String PRIVATE_KEY_FILE = "privateKeyFile";
    public static final String USERS = ".users";
    public static final String PADDING_SCHEME = "paddingScheme";
    public static final String PADDING_SCHEME_FILE = "paddingSchemeFile";
    public static final String AUTH_TIMEOUT = "authTimeout";
    public static final String HANDSHAKE_TIMEOUT = "handshakeTimeout";
    public static final String IDLE_SESSION_TIMEOUT = "idleSessionTimeout";
    public static final String MAX_STREAMS_PER_SESSION = "maxStreamsPerSession";
    public static final String CONNECT_TIMEOUT = "connectTimeout";
    public static final String FALLBACK = "fallback";
    public static final String TLS_PROVIDER = "tlsProvider";
    public static final String STOP_GRACE_PERIOD = "stopGracePeriod";

    private ServerProperties() {
    }
}
