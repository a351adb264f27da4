package org.anytls4j.anytls.tls.fingerprint;

import org.anytls4j.testkit.BoundedWait;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import org.anytls4j.anytls.testing.ExpectingCollector;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A test client: TCP to 127.0.0.1:port, the fingerprint handler, and a collector of what is decrypted. */
final class FingerprintClient implements AutoCloseable {
    static final long WAIT_SECONDS = 10;

    final Channel channel;
    final FingerprintTlsHandler tls;
    private final ExpectingCollector collector;

    private FingerprintClient(Channel channel, FingerprintTlsHandler tls, ExpectingCollector collector) {
        this.channel = channel;
        this.tls = tls;
        this.collector = collector;
    }

    static FingerprintClient connect(EventLoopGroup group, int port, FingerprintTls engine, String peerHost)
            throws InterruptedException {
        FingerprintTlsHandler tls = engine.newHandler(peerHost, port);
        ExpectingCollector collector = new ExpectingCollector();
        Channel channel = BoundedWait.sync(new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("tls", tls).addLast("collector", collector);
                    }
                })
                .connect("127.0.0.1", port)).channel();
        return new FingerprintClient(channel, tls, collector);
    }

    /** Waits for the handshake and returns its failure, or null on success. */
    Throwable handshakeOutcome() throws InterruptedException {
        Future<Channel> handshake = tls.handshakeFuture();
        if (!handshake.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("handshake neither succeeded nor failed within " + WAIT_SECONDS + " s");
        }
        return handshake.cause();
    }

    FingerprintClient handshake() throws InterruptedException {
        Throwable failure = handshakeOutcome();
        if (failure != null) {
            throw new AssertionError("handshake failed", failure);
        }
        return this;
    }

    Throwable handshakeFailure() throws InterruptedException {
        Throwable failure = handshakeOutcome();
        if (failure == null) {
            throw new AssertionError("handshake succeeded but was expected to fail");
        }
        return failure;
    }

    /** Sends {@code data} in one write and waits until as many bytes came back. */
    byte[] echo(byte[] data) throws Exception {
        CompletableFuture<byte[]> received = collector.expect(data.length);
        BoundedWait.sync(channel.writeAndFlush(Unpooled.wrappedBuffer(data)));
        return received.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(WAIT_SECONDS, TimeUnit.SECONDS);
    }
}
