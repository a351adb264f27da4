package org.anytls4j.management.jmx;

import java.util.Map;

/**
 * One inbound server over JMX, registered as {@code org.anytls4j:type=server,name=<name>}; the values
 * {@code anytls:server-list} and {@code anytls:server-info} print. Users appear by name only.
 */
public interface ServerMXBean {
    String getName();

    String getType();

    /** {@code host:port} it listens on, empty while it does not listen. */
    String getListeningOn();

    String getConfiguredAddress();

    boolean isListening();

    long getConnectionsAccepted();

    long getSessionsActive();

    long getSessionsTotal();

    long getStreamsActive();

    long getStreamsTotal();

    long getBytesFromClients();

    long getBytesToClients();

    long getAuthenticationFailures();

    long getFallbacks();

    long getOutboundConnectFailures();

    /** Active sessions per user name. */
    Map<String, Long> getUserSessionsActive();

    /** Sessions ever opened per user name. */
    Map<String, Long> getUserSessionsTotal();
}
