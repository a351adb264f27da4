package org.anytls4j.anytls.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Promise;
import org.anytls4j.transport.api.OpenRequest;

import java.time.Duration;

/** One open through the transport, across its attempts: what was asked, its one deadline, and the host's promise. */
final class ClientOpen {
    final OpenRequest request;
    final ChannelHandler handler;
    final boolean udp;
    /** The host's loop, where the stream must run (loop affinity); null when the transport may choose. */
    final EventLoop placement;
    final Duration timeout;
    /** {@code System.nanoTime()} by which the whole open, every attempt included, must be done. */
    final long deadlineNanos;
    final Promise<Channel> result;
    /** Whether a session had been leased when the deadline passed; tells which phase timed out. */
    volatile boolean leased;

    ClientOpen(OpenRequest request, ChannelHandler handler, boolean udp, EventLoop placement, Duration timeout,
               long deadlineNanos, Promise<Channel> result) {
        this.request = request;
        this.handler = handler;
        this.udp = udp;
        this.placement = placement;
        this.timeout = timeout;
        this.deadlineNanos = deadlineNanos;
        this.result = result;
    }
}
