package org.anytls4j.benchmarks.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.anytls4j.anytls.padding.PacketShaper;
import org.anytls4j.anytls.padding.PaddingRandom;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Padding planning: drawing the record sizes of a packet from the default scheme, and cutting the first packets of a
 * session (everything up to {@code stop}) into padded records.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PaddingBenchmark {
    private static final int WRITE_SIZE = 16_384;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final PaddingRandom secure = PaddingRandom.secure();
    private ByteBuf write;

    @Setup
    public void setUp() {
        write = alloc.directBuffer(WRITE_SIZE).writeZero(WRITE_SIZE);
    }

    @TearDown
    public void tearDown() {
        write.release();
    }

    /** Packet 2 of the default scheme: five size items and four check marks, the longest rule. */
    @Benchmark
    public List<Integer> planPacket2() {
        return PaddingScheme.DEFAULT.sizes(2, secure);
    }

    /** Packets 1..stop of one session, each a 16 KiB write: what padding costs a new session in all. */
    @Benchmark
    public void shapeSessionStart(Blackhole hole) {
        PacketShaper shaper = new PacketShaper(() -> PaddingScheme.DEFAULT, secure);
        while (shaper.shaping()) {
            for (ByteBuf record : shaper.shape(alloc, write.retainedDuplicate())) {
                hole.consume(record.readableBytes());
                record.release();
            }
        }
    }
}
