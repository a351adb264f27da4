package org.anytls4j.group.core;

import org.anytls4j.common.channel.AttachOnActive;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.netty.TransportAttributes;

/**
 * One open through a group: tries the members in the strategy's order, moving to the next when an attempt fails
 * before the application got a channel, all within the request's one open timeout. Once an attempt succeeded the
 * channel belongs to the application and nothing is retried.
 */
final class FailoverOpen {
    private final GroupTransport group;
    private final OpenRequest request;
    private final ChannelHandler handler;
    private final EventLoop preferredLoop;
    private final Promise<Channel> result;
    private final List<Member> order;
    private final long deadlineNanos;
    private final AtomicBoolean completed = new AtomicBoolean();
    private final List<String> failures = new ArrayList<>();
    private int next;
    private TransportException lastFailure;
    private Future<Channel> attempt;
    private GroupScheduler.Cancellable timer;

    FailoverOpen(GroupTransport group, OpenRequest request, ChannelHandler handler, EventLoop preferredLoop,
            Promise<Channel> result, List<Member> order, long deadlineNanos) {
        this.group = group;
        this.request = request;
        this.handler = handler;
        this.preferredLoop = preferredLoop;
        this.result = result;
        this.order = order;
        this.deadlineNanos = deadlineNanos;
    }

    void start() {
        long remaining = deadlineNanos - group.clock().nanoTime();
        GroupScheduler.Cancellable deadline = group.scheduler().schedule(this::timedOut, Math.max(0, remaining));
        synchronized (this) {
            timer = deadline;
        }
        result.addListener(done -> {
            if (done.isCancelled()) {
                if (completed.compareAndSet(false, true)) {
                    group.counters().cancelled(group.name());
                }
                cancelAttempt();
            }
            stopTimer();
        });
        tryNext();
    }

    private void tryNext() {
        Member member;
        OpenRequest attemptRequest;
        synchronized (this) {
            if (completed.get()) {
                return;
            }
            long remaining = deadlineNanos - group.clock().nanoTime();
            if (remaining <= 0) {
                member = null;
                attemptRequest = null;
            } else {
                member = next < order.size() ? order.get(next++) : null;
                attemptRequest = member == null ? null
                        : request.toBuilder().openTimeout(Duration.ofNanos(remaining)).build();
            }
        }
        if (attemptRequest == null) {
            fail(member == null && next >= order.size() ? exhausted() : timeout());
            return;
        }
        Future<Channel> started = group.openOn(member, attemptRequest, new AttachOnActive(handler,
                () -> !(result.isCancelled() || (result.isDone() && !result.isSuccess()))),
                preferredLoop);
        synchronized (this) {
            attempt = started;
        }
        if (completed.get()) {
            started.cancel(false);
        }
        started.addListener(done -> attempted(member, started));
    }

    private void attempted(Member member, Future<Channel> done) {
        if (done.isSuccess()) {
            succeeded(member, done.getNow());
            return;
        }
        TransportException failure = group.asTransportException(done.cause(), member);
        if (failure.reason() == Reason.CANCELLED && completed.get()) {
            return; // the group called it off itself
        }
        group.memberFailed(member, failure);
        synchronized (this) {
            failures.add(member.name() + ": " + failure.getMessage());
            lastFailure = failure;
        }
        if (!GroupTransport.failsOver(failure)) {
            fail(wrap(failure, failure.getMessage()));
            return;
        }
        boolean more;
        synchronized (this) {
            more = next < order.size() && !completed.get();
        }
        if (more) {
            group.counters().failedOver();
        }
        tryNext();
    }

    private void succeeded(Member member, Channel channel) {
        if (!completed.compareAndSet(false, true)) {
            channel.close(); // timed out or cancelled meanwhile
            return;
        }
        List<String> memberChain = channel.attr(TransportAttributes.CHAIN).get();
        List<String> chain = new ArrayList<>();
        chain.add(group.name());
        if (memberChain != null) {
            chain.addAll(memberChain);
        } else {
            chain.add(member.name());
        }
        channel.attr(TransportAttributes.CHAIN).set(List.copyOf(chain));
        channel.attr(TransportAttributes.REQUEST).set(request);
        group.memberOpened(member, channel, request.network() == Network.UDP);
        if (!result.trySuccess(channel)) {
            channel.close();
        }
    }

    private void timedOut() {
        fail(timeout());
        cancelAttempt();
    }

    private TransportException timeout() {
        String tried;
        synchronized (this) {
            tried = failures.isEmpty() ? "" : " (" + String.join("; ", failures) + ")";
        }
        return new TransportException(Reason.TIMEOUT, Phase.CARRIER_CONNECT, group.name(),
                "no member opened " + request.destination() + " within the open timeout" + tried, null);
    }

    private TransportException exhausted() {
        synchronized (this) {
            return wrap(lastFailure, "every member failed: " + String.join("; ", failures));
        }
    }

    private TransportException wrap(TransportException cause, String text) {
        if (cause == null) {
            return new TransportException(Reason.UPSTREAM_UNREACHABLE, Phase.CARRIER_CONNECT, group.name(), text,
                    null);
        }
        return TransportException.builder(cause.reason(), cause.phase(), group.name())
                .message(text)
                .remoteMessage(cause.remoteMessage().orElse(null))
                .cause(cause)
                .build();
    }

    private void fail(TransportException failure) {
        if (!completed.compareAndSet(false, true)) {
            return;
        }
        group.counters().failed(failure, group.clock().now());
        result.tryFailure(failure);
        stopTimer();
    }

    private void cancelAttempt() {
        Future<Channel> current;
        synchronized (this) {
            current = attempt;
        }
        if (current != null && !current.isDone()) {
            current.cancel(false);
        }
    }

    private void stopTimer() {
        GroupScheduler.Cancellable current;
        synchronized (this) {
            current = timer;
            timer = null;
        }
        if (current != null) {
            current.cancel();
        }
    }
}
