package org.anytls4j.benchmarks.e2e;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.AnyTlsClientTransport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Moves {@code bytesPerStream} over {@code streams} concurrent streams, through AnyTLS (the transport's SPI) or plain
 * TLS, and reports the aggregate rate from the first request to the last byte, with the CPU each side spent.
 */
final class ThroughputProbe {
    /** Which path a measurement takes. */
    enum Path { PLAIN_TLS, ANYTLS }

    /** One measured transfer set. */
    record Result(double mibPerSecond, double clientCpuSecondsPerGib, double serverCpuSecondsPerGib, String cipher) {
    }

    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(60);
    private final Rig rig;
    private final AnyTlsClientTransport transport;
    private final ThreadCpu clientCpu = new ThreadCpu(Rig.CLIENT_THREADS);
    private final ThreadCpu serverCpu = new ThreadCpu(Rig.SERVER_THREADS);

    ThroughputProbe(Rig rig, AnyTlsClientTransport transport) {
        this.rig = rig;
        this.transport = transport;
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
        double gib = (double) bytesPerStream * streams / (1L << 30);
        double seconds = (last - first) / 1e9;
        return new Result(gib * 1024 / seconds,
                (clientCpu.nanos() - clientBefore) / 1e9 / gib,
                (serverCpu.nanos() - serverBefore) / 1e9 / gib,
                cipher);
    }
}
