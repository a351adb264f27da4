package org.anytls4j.group.core;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.anytls4j.group.ProbeResult;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.RequestContext;
import org.anytls4j.transport.api.TransportException;

/**
 * One active probe of one member: a TCP open through the member to the probe target and, with a path, an HTTP GET
 * whose status must match. The latency is the time from the open to the status line (or to the open, without a
 * path), on the group's clock.
 */
final class Prober {
    private final GroupTransport group;

    Prober(GroupTransport group) {
        this.group = group;
    }

    void probe(Member member, GroupSettings settings, Runnable finished) {
        Destination target = settings.probe().orElseThrow();
        long start = group.clock().nanoTime();
        AtomicBoolean reported = new AtomicBoolean();
        Outcome outcome = (latencyNanos, problem) -> {
            if (!reported.compareAndSet(false, true)) {
                return;
            }
            ProbeResult result = problem == null
                    ? ProbeResult.success(group.clock().now(), latencyNanos / 1_000_000)
                    : ProbeResult.failure(group.clock().now(), problem);
            group.probed(member, result, latencyNanos);
            finished.run();
        };
        AtomicReference<Channel> opened = new AtomicReference<>();
        GroupScheduler.Cancellable timer = group.scheduler().schedule(() -> {
            outcome.report(-1, "no answer within " + settings.probeTimeout().toMillis() + " ms");
            Channel channel = opened.get();
            if (channel != null) {
                channel.close();
            }
        }, settings.probeTimeout().toNanos());
        ChannelHandler handler = settings.probeHttpPath()
                .<ChannelHandler>map(path -> new ProbeHandler(target.host(), path, (status, problem) -> {
                    timer.cancel();
                    if (problem != null) {
                        outcome.report(-1, problem);
                    } else if (statusAccepted(status, settings.probeExpectedStatus())) {
                        outcome.report(group.clock().nanoTime() - start, null);
                    } else {
                        outcome.report(-1, "HTTP status " + status + ", expected "
                                + (settings.probeExpectedStatus() == 0 ? "2xx or 3xx"
                                : String.valueOf(settings.probeExpectedStatus())));
                    }
                }))
                .orElseGet(ChannelInboundHandlerAdapter::new);
        OpenRequest request = OpenRequest.tcp(target).openTimeout(settings.probeTimeout())
                .context(RequestContext.builder("probe-" + group.name()).inbound(group.name()).build())
                .build();
        Future<Channel> open;
        try {
            open = member.transport().open(request, handler, null);
        } catch (RuntimeException e) {
            timer.cancel();
            outcome.report(-1, "the member threw " + e);
            return;
        }
        open.addListener(done -> {
            if (!done.isSuccess()) {
                timer.cancel();
                Throwable cause = done.cause();
                outcome.report(-1, cause instanceof TransportException ? cause.getMessage() : String.valueOf(cause));
                return;
            }
            opened.set(open.getNow());
            if (settings.probeHttpPath().isEmpty()) {
                timer.cancel();
                outcome.report(group.clock().nanoTime() - start, null);
                open.getNow().close();
            } else if (reported.get()) {
                open.getNow().close(); // timed out meanwhile
            }
        });
    }

    static boolean statusAccepted(int status, int expected) {
        return expected == 0 ? status >= 200 && status < 400 : status == expected;
    }

    @FunctionalInterface
    private interface Outcome {
        void report(long latencyNanos, String problem);
    }
}
