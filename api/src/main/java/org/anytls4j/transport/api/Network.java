package org.anytls4j.transport.api;

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
}
