package org.anytls4j.transport.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/** What an outbound transport can carry. */
public enum Network {
    TCP("tcp"),
    UDP("udp");

    private final String wireName;

    Network(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in service properties ({@code transport.networks}) and configuration. */
    public String wireName() {
        return wireName;
    }

    /**
     * The network with this wire name; matching ignores case because configuration files are written by people.
     *
     * @throws IllegalArgumentException naming the value and the accepted names, if none matches
     */
    public static Network fromWireName(String wireName) {
        Objects.requireNonNull(wireName, "wireName");
        for (Network network : values()) {
            if (network.wireName.equalsIgnoreCase(wireName.trim())) {
                return network;
            }
        }
        throw new IllegalArgumentException("Unknown network '" + wireName + "', expected one of "
                + Arrays.stream(values()).map(Network::wireName).collect(Collectors.joining(", ")));
    }
}
