package org.anytls4j.anytls.udp;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.netty.TransportDatagram;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The host's end of a UDP flow in tests: queues every datagram it reads (copied, released) and any failure. */
final class DatagramCollector extends ChannelInboundHandlerAdapter {
    /** One datagram as the host saw it. */
    record Received(Destination peer, byte[] payload) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Throwable> failure = new CompletableFuture<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        TransportDatagram datagram = (TransportDatagram) msg;
        try {
            received.add(new Received(datagram.peer(), ByteBufUtil.getBytes(datagram.content())));
        } finally {
            datagram.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failure.complete(cause);
        ctx.close();
    }

    /** The next datagram, waiting at most {@code timeout}; fails the test if none comes. */
    Received next(Duration timeout) throws InterruptedException {
        Received next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (next == null) {
            throw new AssertionError("no datagram within " + timeout.toMillis() + " ms");
        }
        return next;
    }

    /** A datagram already received, or null: for asserting that nothing else arrived. */
    Received poll() {
        return received.poll();
    }

    CompletableFuture<Throwable> failure() {
        return failure;
    }
}
