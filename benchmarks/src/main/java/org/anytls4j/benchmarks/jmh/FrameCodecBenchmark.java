package org.anytls4j.benchmarks.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frame;
import org.anytls4j.anytls.wire.FrameDecoder;
import org.anytls4j.anytls.wire.Frames;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Frame encoding (PSH of one stream write, split at 65535) and decoding (a received chunk holding back-to-back PSH
 * frames, as the session reads it after TLS).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameCodecBenchmark {
    /** Stream write sizes: a small request, a typical socket read, and a read larger than one frame. */
    @Param({"512", "16384", "131072"})
    public int payloadSize;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private ByteBuf payload;
    private ByteBuf encoded;

    @Setup
    public void setUp() {
        payload = alloc.directBuffer(payloadSize).writeZero(payloadSize);
        ByteBuf frames = Frames.psh(alloc, 7, payload.retainedDuplicate());
        // The decoder sees one contiguous buffer (what SslHandler hands on), not the encoder's composite.
        encoded = alloc.directBuffer(frames.readableBytes()).writeBytes(frames);
        frames.release();
    }

    @TearDown
    public void tearDown() {
        payload.release();
        encoded.release();
    }

    @Benchmark
    public int encodePsh() {
        ByteBuf frames = Frames.psh(alloc, 7, payload.retainedDuplicate());
        int length = frames.readableBytes();
        frames.release();
        return length;
    }

    @Benchmark
    public int encodeControl() {
        ByteBuf frame = Frames.control(alloc, Command.FIN, 7);
        int length = frame.readableBytes();
        frame.release();
        return length;
    }

    @Benchmark
    public int decodePsh() {
        ByteBuf in = encoded.duplicate();
        int bodies = 0;
        Frame frame;
        while ((frame = FrameDecoder.tryDecode(in)) != null) {
            bodies += frame.length();
            frame.release();
        }
        return bodies;
    }
}
