package org.anytls4j.management.jmx;

import java.util.Map;

/**
 * One outbound transport over JMX, registered as {@code org.anytls4j:type=transport,name=<transport.name>}. Every
 * attribute is read from a fresh snapshot of the SPI's stats and health, the same values {@code transport:list}
 * and {@code transport:info} print. Counters start when the transport (re)activates; the SPI has no reset.
 */
public interface TransportMXBean {
    String getName();

    String getType();

    /** UNKNOWN, UP, DEGRADED or DOWN. */
    String getHealth();

    int getConsecutiveFailures();

    String getLastFailure();

    String[] getNetworks();

    String[] getCapabilities();

    long getOpensAttempted();

    long getOpensSucceeded();

    long getOpensFailed();

    Map<String, Long> getFailuresByReason();

    long getPendingOpens();

    long getStreamsActive();

    long getDatagramFlowsActive();

    long getBytesOut();

    long getBytesIn();

    /** -1 when the transport cannot count carrier bytes. */
    long getCarrierBytesOut();

    long getCarrierBytesIn();

    long getSessionsOpened();

    long getSessionsClosed();

    long getSessionsFailed();

    long getSessionsActive();

    long getSessionsIdle();

    /** Transport-specific counters ({@code anytls.synack.timeouts}, ...). */
    Map<String, Long> getExtra();

    /** {@code transport:test} over JMX: opens {@code count} streams to {@code hostPort}, one line each, then a summary. */
    String[] test(String hostPort, int count);
}
