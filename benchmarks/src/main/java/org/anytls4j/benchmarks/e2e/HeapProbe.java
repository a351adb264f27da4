package org.anytls4j.benchmarks.e2e;

import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.client.pool.PoolOptions;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap retained per idle pooled session and per open stream, from used heap after full GCs before and after. Both
 * ends live in this JVM, so each figure is client plus server (plus the server's connection to the sink for a
 * stream). Pooled direct memory is reported apart; OpenSSL's native memory is in neither.
 */
final class HeapProbe {
    /** Bytes per item on the heap and in Netty's pooled direct memory. */
    record Result(int count, long heapBytesPerItem, long directBytesPerItem) {
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Opens in flight at once: enough to be quick, few enough that handshakes do not time out on 2 cores. */
    private static final int WINDOW = 64;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private final Rig rig;

    HeapProbe(Rig rig) {
        this.rig = rig;
    }

    Result idleSessions(int count) throws Exception {
        AnyTlsClientTransport transport = rig.newTransport("bench-heap-sessions", longLivedPool());
        try {
            long heapBefore = usedHeap();
            long directBefore = usedDirect();
            List<Channel> streams = openMany(transport, count);
            for (Channel stream : streams) {
                stream.close().await(TIMEOUT.toMillis());
            }
            awaitIdle(transport, count);
            streams.clear();
            return new Result(count, (usedHeap() - heapBefore) / count, (usedDirect() - directBefore) / count);
        } finally {
            transport.close();
        }
    }

    Result openStreams(int count) throws Exception {
        AnyTlsClientTransport transport = rig.newTransport("bench-heap-streams", longLivedPool());
        List<Channel> streams = new ArrayList<>();
        try {
            long heapBefore = usedHeap();
            long directBefore = usedDirect();
            streams.addAll(openMany(transport, count));
            return new Result(count, (usedHeap() - heapBefore) / count, (usedDirect() - directBefore) / count);
        } finally {
            for (Channel stream : streams) {
                stream.close();
            }
            transport.close();
        }
    }

    private static PoolOptions longLivedPool() {
        // Nothing may time out while the probe fills the pool.
        return PoolOptions.builder().idleSessionTimeout(Duration.ofMinutes(30)).build();
    }

    private List<Channel> openMany(AnyTlsClientTransport transport, int count) throws Exception {
        List<Channel> streams = new ArrayList<>(count);
        List<Future<Channel>> inFlight = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            inFlight.add(transport.open(rig.sinkRequest(), new ChannelInboundHandlerAdapter(), null));
            if (inFlight.size() == WINDOW || i == count - 1) {
                for (Future<Channel> open : inFlight) {
                    Rig.await(open, TIMEOUT, "stream open for the heap probe");
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

    private static long usedHeap() {
        // Several collections: one may leave floating garbage that the next one finds.
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    private static long usedDirect() {
        ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        return allocator instanceof ByteBufAllocatorMetricProvider
                ? ((ByteBufAllocatorMetricProvider) allocator).metric().usedDirectMemory()
                : 0;
    }
}
