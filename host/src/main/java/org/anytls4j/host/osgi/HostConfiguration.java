package org.anytls4j.host.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype and DS description of one reference-host listener, one per factory configuration of
 * {@value #PID}. Method names map to property names by the DS rules: {@code _users()} is {@code .users} (a secret,
 * which DS never publishes), {@code outbound_target()} is {@code outbound.target}, the target filter of the
 * {@code outbound} reference.
 */
@ObjectClassDefinition(
        id = HostConfiguration.PID,
        name = "anytls4j reference host",
        description = "A local SOCKS5 and HTTP CONNECT proxy on one port that routes every connection through the "
                + "outbound transport selected by outbound.target. Durations are written as 30s, 500ms, 2m, 1h, "
                + "1m30s, PT30S, or a whole number of seconds.")
public @interface HostConfiguration {
    /** The factory PID. */
    String PID = "org.anytls4j.host";

    @AttributeDefinition(name = "Name", description = "Instance name, 1 to 64 of A-Z a-z 0-9 . _ -; used in logs "
            + "and as the inbound name of every request.")
    String name();

    @AttributeDefinition(name = "Listen address", description = "IP address to listen on (no host names). "
            + "Default 127.0.0.1; 0.0.0.0 or :: listen on every interface, so set users then.")
    String listenAddress() default "127.0.0.1";

    @AttributeDefinition(name = "Port", min = "0", max = "65535",
            description = "TCP port for both SOCKS5 and HTTP CONNECT. Default 1080. 0 = an ephemeral port.")
    int port() default 1080;

    @AttributeDefinition(name = "Users", type = AttributeType.PASSWORD, required = false,
            description = "Accepted users as name:password (split at the first ':'). Empty = no authentication. "
                    + "Never published or logged.")
    String[] _users() default {};

    @AttributeDefinition(name = "Outbound transport filter",
            description = "LDAP filter selecting the outbound transport service, e.g. (transport.name=hk1). "
                    + "Default (transport.name=direct).")
    String outbound_target() default HostComponent.DEFAULT_OUTBOUND_TARGET;

    @AttributeDefinition(name = "Open timeout",
            description = "Budget for opening each connection or UDP flow through the transport. Default 10s.")
    String openTimeout() default "10s";

    @AttributeDefinition(name = "Handshake timeout",
            description = "How long a client may take from connecting to a complete SOCKS5 or HTTP request. "
                    + "Default 10s.")
    String handshakeTimeout() default "10s";

    @AttributeDefinition(name = "Early data",
            description = "For TCP through a transport that offers early data: answer the SOCKS5 or HTTP CONNECT "
                    + "client at once and send its first bytes with the open, as anytls-go and mihomo do. A "
                    + "destination the server cannot reach then closes the client's connection instead of a "
                    + "failure reply. false: answer only after the transport confirmed the open. Default true.")
    boolean earlyData() default true;

    @AttributeDefinition(name = "I/O threads", min = "1", max = "64",
            description = "Event-loop threads of this listener. Default 2.")
    int ioThreads() default 2;
}
