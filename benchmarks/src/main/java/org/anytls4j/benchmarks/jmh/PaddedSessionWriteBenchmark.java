package org.anytls4j.benchmarks.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import org.anytls4j.anytls.padding.PaddingRandom;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.session.AnyTlsStream;
import org.anytls4j.anytls.session.CarrierPipeline;
import org.anytls4j.anytls.session.ClientSessionHandler;
import org.anytls4j.anytls.session.ClientSessionListener;
import org.anytls4j.anytls.session.ClientSessionOptions;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frame;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The client's write path from a stream down to what {@code SslHandler} would receive: stream channel, PSH framing,
 * padding (while on) and the carrier writes, on an {@link EmbeddedChannel} in place of the TLS connection.
 *
 * <p>{@code newSessionFirstWrites} pays for a session's padded start (stop = 8 in the default scheme: the first
 * writes are cut into several records, each flushed on its own); {@code steadyWrite} is a session past padding.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PaddedSessionWriteBenchmark {
    private static final int WRITE_SIZE = 16_384;
    private static final int WRITES_PAST_PADDING = 16;
    private static final InetSocketAddress DESTINATION = InetSocketAddress.createUnresolved("example.com", 443);
    private static final ByteBuf PAYLOAD = Unpooled.unreleasableBuffer(
            PooledByteBufAllocator.DEFAULT.directBuffer(WRITE_SIZE).writeZero(WRITE_SIZE));

    /** The stream's application: it only writes; closing the session at the end is expected, not an error. */
    static final class EndsQuietly extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** One client session with one confirmed stream. */
    @State(Scope.Thread)
    public static class Session {
        EmbeddedChannel carrier;
        AnyTlsStream stream;

        void open() {
            ClientSessionOptions options = ClientSessionOptions.builder("bench")
                    .paddingScheme(() -> PaddingScheme.DEFAULT, scheme -> { })
                    .random(PaddingRandom.secure())
                    .heartbeat(Duration.ZERO, Duration.ZERO)
                    .build();
            ClientSessionHandler session = new ClientSessionHandler("bench", options, ClientSessionListener.NONE);
            carrier = new EmbeddedChannel();
            CarrierPipeline.client(carrier.pipeline(), null, session);
            Promise<AnyTlsStream> opened = carrier.eventLoop().newPromise();
            session.openStream(DESTINATION, new EndsQuietly(), null, false,
                    TimeUnit.SECONDS.toNanos(30), opened);
            carrier.writeInbound(new Frame(Command.SERVER_SETTINGS, 0,
                    Unpooled.copiedBuffer("v=2", StandardCharsets.US_ASCII)));
            carrier.writeInbound(new Frame(Command.SYNACK, 1, Unpooled.EMPTY_BUFFER));
            carrier.runPendingTasks();
            if (!opened.isSuccess()) {
                throw new IllegalStateException("the benchmark stream did not open", opened.cause());
            }
            stream = opened.getNow();
            drain();
        }

        int drain() {
            int bytes = 0;
            Object record;
            while ((record = carrier.readOutbound()) != null) {
                bytes += ((ByteBuf) record).readableBytes();
                ReferenceCountUtil.release(record);
            }
            return bytes;
        }

        void close() {
            carrier.finishAndReleaseAll();
        }
    }

    /** A session already past its padded packets. */
    @State(Scope.Thread)
    public static class SteadySession extends Session {
        @Setup(Level.Trial)
        public void setUp() {
            open();
            for (int i = 0; i < WRITES_PAST_PADDING; i++) {
                stream.writeAndFlush(PAYLOAD.retainedDuplicate());
                drain();
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            close();
        }
    }

    @Benchmark
    public int steadyWrite(SteadySession session) {
        session.stream.writeAndFlush(PAYLOAD.retainedDuplicate());
        return session.drain();
    }

    /** Opens a session and writes 16 KiB eight times: setup, SYN, and every padded packet of the default scheme. */
    @Benchmark
    public int newSessionFirstWrites() {
        Session session = new Session();
        session.open();
        int bytes = 0;
        for (int i = 0; i < 8; i++) {
            session.stream.writeAndFlush(PAYLOAD.retainedDuplicate());
            bytes += session.drain();
        }
        session.close();
        return bytes;
    }
}
