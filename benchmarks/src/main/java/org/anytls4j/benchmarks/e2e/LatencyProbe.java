package org.anytls4j.benchmarks.e2e;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.host.proxy.ProxyServer;

import java.time.Duration;

/**
 * Stream-open latency through the SPI: from {@code open()} to the returned future's success, i.e. a stream confirmed
 * by SYNACK after the server connected to the destination. Warm: one pooled session reused for every open. Cold:
 * reuse disabled, so every open dials TCP, handshakes TLS, authenticates and opens. SOCKS5 warm: the same as warm,
 * seen by an application behind the reference host. The plain TLS reference is TCP connect plus handshake to the relay.
 */
final class LatencyProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final Rig rig;

    LatencyProbe(Rig rig) {
        this.rig = rig;
    }

    long[] warm(int opens) throws Exception {
        AnyTlsClientTransport transport = rig.newTransport("bench-warm", PoolOptions.defaults());
        try {
            openAndClose(transport);
            long[] nanos = new long[opens];
            for (int i = 0; i < opens; i++) {
                nanos[i] = openAndClose(transport);
            }
            if (transport.stats().sessionsOpened() != 1) {
                throw new IllegalStateException("warm opens used " + transport.stats().sessionsOpened()
                        + " sessions instead of 1");
            }
            return nanos;
        } finally {
            transport.close();
        }
    }

    long[] cold(int opens) throws Exception {
        AnyTlsClientTransport transport = rig.newTransport("bench-cold",
                PoolOptions.builder().disableReuse(true).minIdleSessions(0).build());
        try {
            long[] nanos = new long[opens];
            for (int i = 0; i < opens; i++) {
                nanos[i] = openAndClose(transport);
            }
            return nanos;
        } finally {
            transport.close();
        }
    }

    /**
     * Warm opens through the reference host: TCP connect to the host, SOCKS5 greeting and CONNECT, the host's open on
     * a pooled AnyTLS session, the reply. What an application behind the host waits before its first byte.
     */
    long[] socksWarm(int opens) throws Exception {
        AnyTlsClientTransport transport = rig.newTransport("bench-socks-warm", PoolOptions.defaults());
        ProxyServer host = rig.newHost(transport);
        try {
            socksOpenAndClose(host, transport);
            long[] nanos = new long[opens];
            for (int i = 0; i < opens; i++) {
                nanos[i] = socksOpenAndClose(host, transport);
            }
            if (transport.stats().sessionsOpened() != 1) {
                throw new IllegalStateException("warm SOCKS5 opens used " + transport.stats().sessionsOpened()
                        + " sessions instead of 1");
            }
            return nanos;
        } finally {
            host.close();
            transport.close();
        }
    }

    private long socksOpenAndClose(ProxyServer host, AnyTlsClientTransport transport) throws Exception {
        long start = System.nanoTime();
        Promise<Void> ready = rig.newAppPromise();
        ChannelFuture connect = rig.openSocks(host, new ChannelInboundHandlerAdapter(), ready);
        Rig.await(ready, TIMEOUT, "SOCKS5 CONNECT through the host");
        long elapsed = System.nanoTime() - start;
        // Closed with a reset, not a FIN: the host answers a FIN by keeping the stream open for its half-close
        // linger (1 s; an AnyTLS stream cannot pass a half-close on), so the next open would find the session
        // busy and dial a new one. A reset makes the host close the stream at once and the session idle again.
        connect.channel().config().setOption(ChannelOption.SO_LINGER, 0);
        connect.channel().close().await(TIMEOUT.toMillis());
        awaitIdleSession(transport);
        return elapsed;
    }

    /** Until the host closed the stream (its loop) and the pool took the session back (the client loop). */
    private void awaitIdleSession(AnyTlsClientTransport transport) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (transport.poolStats().idleSessions() == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the host's stream did not close within " + TIMEOUT + ": "
                        + transport.poolStats());
            }
            rig.hostIo.group().next().submit(() -> { }).await(TIMEOUT.toMillis());
            rig.clientIo.group().next().submit(() -> { }).await(TIMEOUT.toMillis());
        }
    }

    long[] plainTls(int connects) throws Exception {
        long[] nanos = new long[connects];
        for (int i = 0; i < connects; i++) {
            long start = System.nanoTime();
            ChannelFuture connect = rig.openPlain(new ChannelInboundHandlerAdapter());
            Rig.await(connect, TIMEOUT, "plain TLS connect " + i);
            Channel channel = connect.channel();
            Rig.await(channel.pipeline().get(SslHandler.class).handshakeFuture(), TIMEOUT, "plain TLS handshake " + i);
            nanos[i] = System.nanoTime() - start;
            channel.close().await(TIMEOUT.toMillis());
        }
        return nanos;
    }

    private long openAndClose(AnyTlsClientTransport transport) throws Exception {
        long start = System.nanoTime();
        Future<Channel> open = transport.open(rig.sinkRequest(), new ChannelInboundHandlerAdapter(), null);
        Rig.await(open, TIMEOUT, "stream open");
        long elapsed = System.nanoTime() - start;
        open.getNow().close().await(TIMEOUT.toMillis());
        // The pool takes the session back in a close listener on the client loop (one thread): let it run.
        rig.clientIo.group().next().submit(() -> { }).await(TIMEOUT.toMillis());
        return elapsed;
    }
}
