package org.anytls4j.anytls.osgi;

import org.anytls4j.anytls.config.ServerProperties;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Metatype description of one AnyTLS server, one per factory configuration.
 *
 * <p>Method names map to property names by the DS/Metatype rules, so {@code _users()} is {@code .users}: a
 * secret, which DS never publishes as a service property. The component should read its configuration as a
 * {@code Map} through {@link org.anytls4j.anytls.config.ServerSettings#from(java.util.Map)}. The Designate
 * element comes from {@code factoryPid} here, so the component must not add its own {@code @Designate}.
 */
@ObjectClassDefinition(
        id = ServerProperties.FACTORY_PID,
        factoryPid = ServerProperties.FACTORY_PID,
        name = "AnyTLS server",
        description = "An AnyTLS server listening on one address. Durations are written as 30s, 500ms, 2m, 1h, "
                + "1m30s, PT30S, or a whole number of seconds.")
public @interface AnyTlsServerConfiguration {

    @AttributeDefinition(name = "Name",
            description = "Instance name, 1 to 64 of A-Z a-z 0-9 . _ -; used in logs.")
    String name();

    @AttributeDefinition(name = "Listen address",
            description = "IP address to listen on (no host names). Default 127.0.0.1; 0.0.0.0 or :: listen on "
                    + "every interface.")
    String listenAddress() default "127.0.0.1";

    @AttributeDefinition(name = "Port", min = "0", max = "65535",
            description = "TCP port. Default 8443. 0 = an ephemeral port chosen by the system (tests).")
    int port() default 8443;

    @AttributeDefinition(name = "Certificate file", required = false,
            description = "Absolute path of the PEM certificate chain. Set together with the private key file.")
    String certificateFile();

    @AttributeDefinition(name = "Private key file", required = false,
            description = "Absolute path of the PEM private key (PKCS#8). Set together with the certificate file.")
    String privateKeyFile();

    @AttributeDefinition(name = "Users", type = AttributeType.PASSWORD,
            description = "Accepted users as name:password (split at the first ':'); at least one; names and "
                    + "passwords unique. Never published or logged.")
    String[] _users();

    @AttributeDefinition(name = "Padding scheme", required = false,
            description = "Padding scheme text sent to clients; lines separated by line breaks or the two "
                    + "characters \\n. Default: the protocol's default scheme. Not together with the file.")
    String paddingScheme();

    @AttributeDefinition(name = "Padding scheme file", required = false,
            description = "Absolute path of a file holding the padding scheme, used byte for byte.")
    String paddingSchemeFile();

    @AttributeDefinition(name = "Authentication timeout",
            description = "How long a client may take to authenticate after the TLS handshake. Default 10s.")
    String authTimeout() default "10s";

    @AttributeDefinition(name = "TLS handshake timeout", description = "TLS handshake timeout. Default 10s.")
    String handshakeTimeout() default "10s";

    @AttributeDefinition(name = "Idle session timeout",
            description = "Close sessions without streams after this long; 0 = never, like the reference. "
                    + "Default 0.")
    String idleSessionTimeout() default "0";

    @AttributeDefinition(name = "Maximum streams per session", min = "1", max = "65535",
            description = "Concurrent streams one session may open. Default 1024.")
    int maxStreamsPerSession() default 1024;

    @AttributeDefinition(name = "Outbound connect timeout",
            description = "Timeout for connecting to a stream's destination. Default 5s.")
    String connectTimeout() default "5s";

    @AttributeDefinition(name = "Fallback", required = false,
            description = "host:port that receives connections failing authentication, with the bytes already "
                    + "read. Default: close them.")
    String fallback();

    @AttributeDefinition(name = "TLS provider",
            description = "TLS implementation: auto (OpenSSL when available, else JDK), jdk or openssl.",
            options = {
                @Option(value = "auto", label = "Automatic"),
                @Option(value = "jdk", label = "JDK"),
                @Option(value = "openssl", label = "OpenSSL (netty-tcnative)")
            })
    String tlsProvider() default "auto";

    @AttributeDefinition(name = "Stop grace period",
            description = "When the server stops (bundle stop, configuration deleted) it stops accepting at once "
                    + "and lets open streams finish for at most this long before closing the rest; 0 closes them "
                    + "at once. At most 5m. Default 5s.")
    String stopGracePeriod() default "5s";
}
