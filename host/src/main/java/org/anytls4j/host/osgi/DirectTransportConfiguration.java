package org.anytls4j.host.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype and DS description of one direct transport, one per factory configuration of {@value #PID}.
 * {@code transport_name()} is the property {@code transport.name}, published as a service property so that hosts
 * select the transport with {@code (transport.name=...)}.
 */
@ObjectClassDefinition(
        id = DirectTransportConfiguration.PID,
        name = "anytls4j direct transport",
        description = "Plain TCP connections and UDP sockets from this machine to the destination, offered as an "
                + "outbound transport. Durations are written as 30s, 500ms, 2m, 1h, 1m30s, PT30S, or a whole "
                + "number of seconds.")
public @interface DirectTransportConfiguration {
    /** The factory PID. */
    String PID = "org.anytls4j.host.direct";

    @AttributeDefinition(name = "Transport name", description = "Unique instance name (transport.name), 1 to 64 of "
            + "A-Z a-z 0-9 . _ -; hosts select the transport by it.")
    String transport_name();

    @AttributeDefinition(name = "Labels", required = false,
            description = "Free grouping labels (transport.labels), used by group filters.")
    String[] transport_labels() default {};

    @AttributeDefinition(name = "Connect timeout",
            description = "Limit for resolving and connecting, unless the request's own is shorter. Default 10s.")
    String connectTimeout() default "10s";

    @AttributeDefinition(name = "Bind address", required = false,
            description = "Local IP address of outgoing sockets. Empty (default): chosen by the system.")
    String bindAddress() default "";

    @AttributeDefinition(name = "I/O threads", min = "1", max = "64",
            description = "Event-loop threads for opens without a preferred loop and for DNS. Default 2.")
    int ioThreads() default 2;
}
