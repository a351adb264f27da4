package org.anytls4j.benchmarks.e2e;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap retained per idle pooled session and per open stream, from used heap after full GCs before and after. The
 * AnyTLS servers and the sink run in child JVMs ({@link SplitServers}), so the harness's own figure is the client's
 * alone (transport, pool, sessions, streams); the servers report theirs, summed. Pooled direct memory (client) is
 * reported apart; OpenSSL's native memory is in neither.
 */
final class HeapProbe {
    /** Bytes per item: client heap, server heap (all server children), client pooled direct memory. */
    record Result(int count, long clientHeapBytesPerItem, long serverHeapBytesPerItem, long directBytesPerItem) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Opens in flight at once: enough to be quick, few enough that handshakes do not time out on 2 cores. */
    private static final int WINDOW = 64;
    private final Rig rig;
    private final SplitServers remote;
    private final OpenRequest sinkRequest;

    HeapProbe(Rig rig, SplitServers remote) throws InterruptedException {
        this.rig = rig;
        this.remote = remote;
        this.sinkRequest = OpenRequest.tcp(Destination.of(remote.sinkAddress())).build();
    }

    /** {@code count} idle sessions in one transport's pool, all to the idle-session server child. */
    Result idleSessions(int count) throws Exception {
        ChildJvm server = remote.idleServer();
        AnyTlsClientTransport transport = rig.newTransport("bench-heap-sessions", longLivedPool(), server.port());
        try {
            Snapshot before = snapshot(List.of(server));
            List<Channel> streams = openMany(List.of(transport), count);
            for (Channel stream : streams) {
                stream.close().await(TIMEOUT.toMillis());
            }
            awaitIdle(transport, count);
            streams.clear();
            return snapshot(List.of(server)).perItemSince(before, count);
        } finally {
            transport.close();
        }
    }

    /** {@code count} open streams (one per session), spread evenly over the server children. */
    Result openStreams(int count) throws Exception {
        List<ChildJvm> servers = remote.servers();
        List<AnyTlsClientTransport> transports = new ArrayList<>();
        List<Channel> streams = new ArrayList<>();
        try {
            for (ChildJvm server : servers) {
                transports.add(rig.newTransport("bench-heap-streams-" + transports.size(), longLivedPool(),
                        server.port()));
            }
            Snapshot before = snapshot(servers);
            streams.addAll(openMany(transports, count));
            return snapshot(servers).perItemSince(before, count);
        } finally {
            for (Channel stream : streams) {
                stream.close();
            }
            for (AnyTlsClientTransport transport : transports) {
                transport.close();
            }
        }
    }

    private static PoolOptions longLivedPool() {
        // Nothing may time out while the probe fills the pool.
        return PoolOptions.builder().idleSessionTimeout(Duration.ofMinutes(30)).build();
    }

    private List<Channel> openMany(List<AnyTlsClientTransport> transports, int count) throws Exception {
        List<Channel> streams = new ArrayList<>(count);
        List<Future<Channel>> inFlight = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            AnyTlsClientTransport transport = transports.get(i % transports.size());
            inFlight.add(transport.open(sinkRequest, new ChannelInboundHandlerAdapter(), null));
            if (inFlight.size() == WINDOW || i == count - 1) {
                for (Future<Channel> open : inFlight) {
                    Rig.await(open, TIMEOUT, "stream open " + streams.size() + " for the heap probe");
                    streams.add(open.getNow());
                }
                inFlight.clear();
            }
        }
        return streams;
    }

    private void awaitIdle(AnyTlsClientTransport transport, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (transport.poolStats().idleSessions() < expected) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the pool never held " + expected + " idle sessions: "
                        + transport.poolStats());
            }
            rig.clientIo.group().next().submit(() -> { }).await(TIMEOUT.toMillis());
        }
    }

    private static Snapshot snapshot(List<ChildJvm> servers) throws Exception {
        long serverHeap = 0;
        for (ChildJvm server : servers) {
            serverHeap += server.heap()[0];
        }
        return new Snapshot(ServeMain.usedHeapAfterGc(), serverHeap, ServeMain.usedPooledDirect());
    }

    /** Used heap here and in the server children, and pooled direct memory here, at one moment. */
    private record Snapshot(long clientHeap, long serverHeap, long clientDirect) {
        Result perItemSince(Snapshot before, int count) {
            return new Result(count, (clientHeap - before.clientHeap) / count,
                    (serverHeap - before.serverHeap) / count, (clientDirect - before.clientDirect) / count);
        }
    }
}
