package org.anytls4j.benchmarks.e2e;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.host.proxy.ProxyServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Moves {@code bytesPerStream} over {@code streams} concurrent streams, through AnyTLS (the transport's SPI), through
 * the reference host's SOCKS5 port in front of the same transport, or plain TLS, and reports the aggregate rate from
 * the first request to the last byte, with the CPU each side spent. The client side's CPU is the client loop's plus
 * the host loop's (the host is idle on the other two paths).
 */
final class ThroughputProbe {
    /** Which path a measurement takes. */
    enum Path {
        /** A TLS connection to a TLS-terminating relay: the ceiling. */
        PLAIN_TLS,
        /** A stream opened through {@code AnyTlsClientTransport.open}, the SPI. */
        ANYTLS,
        /** A TCP connection to the reference host, SOCKS5 CONNECT, relayed by the host into an AnyTLS stream. */
        SOCKS5
    }

    /** One measured transfer set. */
    record Result(double mibPerSecond, double clientCpuSecondsPerGib, double serverCpuSecondsPerGib, String cipher) {
    }

    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(60);
    private final Rig rig;
    private final AnyTlsClientTransport transport;
    private final ProxyServer host;
    private final ThreadCpu clientCpu = new ThreadCpu(Rig.CLIENT_THREADS, Rig.HOST_THREADS);
    private final ThreadCpu serverCpu = new ThreadCpu(Rig.SERVER_THREADS);

    /** {@code host} must route through {@code transport}. */
    ThroughputProbe(Rig rig, AnyTlsClientTransport transport, ProxyServer host) {
        this.rig = rig;
        this.transport = transport;
        this.host = host;
    }

    Result run(Path path, boolean download, int streams, long bytesPerStream, Duration timeout) throws Exception {
        long clientBefore = clientCpu.nanos();
        long serverBefore = serverCpu.nanos();
        List<Transfer> transfers = new ArrayList<>();
        List<Channel> channels = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            Transfer transfer = new Transfer(new Request(download, bytesPerStream));
            transfers.add(transfer);
            if (path == Path.ANYTLS) {
                Future<Channel> open = transport.open(rig.sinkRequest(), transfer, null);
                Rig.await(open, OPEN_TIMEOUT, "opening AnyTLS stream " + i);
                channels.add(open.getNow());
            } else if (path == Path.SOCKS5) {
                // Like the AnyTLS open, each stream is confirmed before the next is asked for; the clock of the
                // transfer starts only once the host's CONNECT reply is in (Transfer starts then).
                Promise<Void> ready = rig.newAppPromise();
                ChannelFuture connect = rig.openSocks(host, transfer, ready);
                Rig.await(ready, OPEN_TIMEOUT, "SOCKS5 CONNECT " + i + " through the host");
                channels.add(connect.channel());
            } else {
                ChannelFuture connect = rig.openPlain(transfer);
                Rig.await(connect, OPEN_TIMEOUT, "connecting plain TLS connection " + i);
                channels.add(connect.channel());
            }
        }
        CompletableFuture.allOf(transfers.stream().map(Transfer::done).toArray(CompletableFuture[]::new))
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        String cipher = transfers.get(0).cipher();
        long first = transfers.stream().mapToLong(Transfer::startedNanos).min().orElseThrow();
        long last = transfers.stream().mapToLong(t -> t.done().join()).max().orElseThrow();
        for (Channel channel : channels) {
            channel.closeFuture().await(OPEN_TIMEOUT.toMillis());
        }
        // Let the loops finish the closes (FIN, pool hand-back) so they count against this case, not the next.
        rig.clientIo.group().next().submit(() -> { }).await(OPEN_TIMEOUT.toMillis());
        rig.serverIo.group().next().submit(() -> { }).await(OPEN_TIMEOUT.toMillis());
        rig.hostIo.group().next().submit(() -> { }).await(OPEN_TIMEOUT.toMillis());
        double gib = (double) bytesPerStream * streams / (1L << 30);
        double seconds = (last - first) / 1e9;
        return new Result(gib * 1024 / seconds,
                (clientCpu.nanos() - clientBefore) / 1e9 / gib,
                (serverCpu.nanos() - serverBefore) / 1e9 / gib,
                cipher);
    }
}
