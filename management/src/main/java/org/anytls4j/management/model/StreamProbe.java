package org.anytls4j.management.model;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.RequestContext;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;

/**
 * {@code transport:test}: opens streams to a destination through one transport, one after the other, and reports
 * each open's latency and outcome, then a summary. Each stream is closed as soon as it is open: nothing is sent.
 * Blocks the calling thread (a shell or JMX thread, never an event loop) for at most {@code count} open timeouts.
 */
public final class StreamProbe {
    /** The outcome of one open. */
    public record Attempt(int number, long latencyNanos, boolean opened, String outcome) {
        public String line() {
            return String.format("#%d  %-6s %8.1f ms  %s", number, opened ? "OK" : "FAILED", latencyNanos / 1e6,
                    outcome);
        }
    }

    /** Every attempt and a one-line summary. */
    public record Report(List<Attempt> attempts, String summary) {
        public long opened() {
            return attempts.stream().filter(Attempt::opened).count();
        }

        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            attempts.forEach(attempt -> lines.add(attempt.line()));
            lines.add(summary);
            return lines;
        }
    }

    private final NettyOutboundTransport transport;
    private final Duration openTimeout;
    private final LongSupplier nanoClock;

    public StreamProbe(NettyOutboundTransport transport, Duration openTimeout, LongSupplier nanoClock) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.openTimeout = Objects.requireNonNull(openTimeout, "openTimeout");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    }

    /**
     * @param destination {@code host:port}
     * @param count       opens to make, 1..1000
     * @throws IllegalArgumentException naming the value, for a malformed destination or count
     */
    public Report run(String destination, int count) {
        Destination target = Destination.parse(destination);
        if (count < 1 || count > 1000) {
            throw new IllegalArgumentException("count must be 1..1000, got " + count);
        }
        List<Attempt> attempts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            attempts.add(attempt(i, target));
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        return new Report(attempts, summary(target, attempts));
    }

    private Attempt attempt(int number, Destination target) {
        OpenRequest request = OpenRequest.tcp(target).openTimeout(openTimeout)
                .context(RequestContext.builder("transport-test-" + number).inbound("transport:test").build())
                .build();
        long start = nanoClock.getAsLong();
        Future<Channel> opening = transport.open(request, new ChannelInboundHandlerAdapter());
        try {
            // The transport enforces the open timeout; the extra second only guards against a transport that does not.
            Channel channel = opening.get(openTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
            long latency = nanoClock.getAsLong() - start;
            channel.close();
            return new Attempt(number, latency, true, "opened" + (transport.capabilities()
                    .contains(Capability.CONNECT_CONFIRMATION) ? ", destination connected" : ""));
        } catch (ExecutionException e) {
            return new Attempt(number, nanoClock.getAsLong() - start, false, describe(e.getCause()));
        } catch (TimeoutException e) {
            opening.cancel(false);
            return new Attempt(number, nanoClock.getAsLong() - start, false,
                    "no answer within " + openTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            opening.cancel(false);
            Thread.currentThread().interrupt();
            return new Attempt(number, nanoClock.getAsLong() - start, false, "interrupted");
        }
    }

    private static String describe(Throwable cause) {
        if (cause instanceof TransportException) {
            TransportException failure = (TransportException) cause;
            String detail = failure.detail() == null || failure.detail().isEmpty() ? "" : ": " + failure.detail();
            String remote = failure.remoteMessage().filter(text -> !detail.contains(text))
                    .map(text -> " (remote: " + text + ")").orElse("");
            return failure.reason() + " in " + failure.phase() + detail + remote;
        }
        return String.valueOf(cause);
    }

    private String summary(Destination target, List<Attempt> attempts) {
        long opened = attempts.stream().filter(Attempt::opened).count();
        StringBuilder text = new StringBuilder().append(opened).append(" of ").append(attempts.size())
                .append(" opens to ").append(target).append(" through '").append(transport.name())
                .append("' succeeded");
        LongSummaryStatistics latency = attempts.stream().filter(Attempt::opened)
                .mapToLong(Attempt::latencyNanos).summaryStatistics();
        if (opened > 0) {
            text.append(String.format(", latency min/avg/max %.1f/%.1f/%.1f ms", latency.getMin() / 1e6,
                    latency.getAverage() / 1e6, latency.getMax() / 1e6));
        }
        return text.toString();
    }
}
