package org.anytls4j.anytls.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.PendingWriteQueue;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Promise;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client's write path from a stream to its carrier: what the carrier sees (writes, their sizes, flushes) for
 * bursts of stream writes, during and after padding, and how backpressure reaches a stream.
 */
class StreamWritePathTest {
    private static final InetSocketAddress EXAMPLE = InetSocketAddress.createUnresolved("example.com", 443);
    private static final PaddingScheme NO_SHAPING = PaddingScheme.parse("stop=1");
    private static final String SERVER_SETTINGS_V2_AND_SYNACK = "0a000000000003763d32" + "07000000010000";
    private static final int PSH = 2;

    private final CarrierLog log = new CarrierLog();
    private final HoldingHandler holding = new HoldingHandler();
    private EmbeddedChannel carrier;
    private ClientSessionHandler session;

    @AfterEach
    void tearDown() {
        if (carrier != null) {
            holding.release();
            carrier.finishAndReleaseAll();
        }
    }

    private void client(PaddingScheme scheme) {
        ClientSessionOptions options = ClientSessionOptions.builder("test")
                .clientName("anytls/0.0.13")
                .paddingScheme(() -> scheme, ignored -> { })
                .random((origin, bound) -> origin)
                .build();
        session = new ClientSessionHandler("c1", options, ClientSessionListener.NONE);
        carrier = new EmbeddedChannel(holding, log);
        CarrierPipeline.client(carrier.pipeline(), null, session);
        carrier.freezeTime();
    }

    /** Opens stream 1 with {@code handler}, lets the server confirm it, and forgets what the open wrote. */
    private AnyTlsStream openStream(ChannelHandler handler) {
        Promise<AnyTlsStream> promise = carrier.eventLoop().newPromise();
        session.openStream(EXAMPLE, handler, null, false, TimeUnit.SECONDS.toNanos(10), promise);
        carrier.writeInbound(Hex.buf(SERVER_SETTINGS_V2_AND_SYNACK));
        carrier.runPendingTasks();
        assertThat(promise.isSuccess()).as("stream opened").isTrue();
        drainOutbound();
        log.events.clear();
        return promise.getNow();
    }

    private byte[] drainOutbound() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (ByteBuf out = carrier.readOutbound(); out != null; out = carrier.readOutbound()) {
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            out.release();
            wire.writeBytes(bytes);
        }
        return wire.toByteArray();
    }

    /** The payload of every PSH frame of stream 1 in {@code wire}, in order; fails on any other frame. */
    private static byte[] pshPayload(byte[] wire) {
        ByteBuf in = Unpooled.wrappedBuffer(wire);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        while (in.isReadable()) {
            assertThat(in.readUnsignedByte()).as("command").isEqualTo((short) PSH);
            assertThat(in.readInt()).as("stream id").isEqualTo(1);
            byte[] body = new byte[in.readUnsignedShort()];
            in.readBytes(body);
            payload.writeBytes(body);
        }
        return payload.toByteArray();
    }

    private static byte[] random(int length, int seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void afterPaddingABurstOfWritesReachesTheCarrierAsWholeTlsRecordsAndOneFlush() {
        client(NO_SHAPING);
        AnyTlsStream stream = openStream(new Quiet());
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 3; i++) {
            byte[] chunk = random(20_000, i);
            sent.writeBytes(chunk);
            stream.write(Unpooled.wrappedBuffer(chunk));
        }
        stream.flush();
        carrier.runPendingTasks();

        // 3 PSH frames of 20 007 bytes = 60 021 bytes: three full records, the rest in one write, then one flush.
        assertThat(log.events).containsExactly("W16384", "W16384", "W16384", "W10869", "F");
        assertThat(pshPayload(drainOutbound())).isEqualTo(sent.toByteArray());
    }

    @Test
    void whilePaddingEveryShapedPacketIsWrittenAndFlushedAloneAndAfterItWritesShareRecords() {
        client(PaddingScheme.DEFAULT);
        AnyTlsStream stream = openStream(new Quiet());
        // Packets 2 to 7 are shaped by the default scheme, packet 8 reaches its stop.
        for (int packet = 2; packet <= 8; packet++) {
            stream.writeAndFlush(Unpooled.wrappedBuffer(random(3000, packet)));
            carrier.runPendingTasks();
        }
        List<String> padded = List.copyOf(log.events);
        assertThat(padded).hasSizeGreaterThan(2 * 7);
        for (int i = 0; i < padded.size(); i += 2) {
            assertThat(padded.get(i)).as("event %d is a write", i).startsWith("W");
            assertThat(padded.get(i + 1)).as("event %d flushes that write alone", i + 1).isEqualTo("F");
        }

        log.events.clear();
        for (int i = 0; i < 8; i++) {
            stream.write(Unpooled.wrappedBuffer(random(3000, 100 + i)));
        }
        stream.flush();
        carrier.runPendingTasks();
        // 8 frames of 3007 bytes = 24 056 bytes: one full record and the rest, flushed once.
        assertThat(log.events).containsExactly("W16384", "W7672", "F");
        drainOutbound();
    }

    @Test
    void aStreamTurnsUnwritableAsSoonAsItsWritesFillTheCarrierNotWhenTheDeferredEventArrives() {
        client(NO_SHAPING);
        AnyTlsStream stream = openStream(new Quiet());
        carrier.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        holding.hold();
        byte[] payload = random(64, 1);

        stream.writeAndFlush(Unpooled.wrappedBuffer(payload));

        // No pending task has run: the carrier's own writability event is still queued (a queue like
        // SslHandler's counts its bytes with Netty's deferred notification).
        assertThat(carrier.isWritable()).as("carrier").isFalse();
        assertThat(stream.isWritable()).as("stream, at once").isFalse();

        holding.release();
        carrier.runPendingTasks();
        assertThat(carrier.isWritable()).isTrue();
        assertThat(stream.isWritable()).isTrue();
        assertThat(pshPayload(drainOutbound())).isEqualTo(payload);
    }

    @Test
    void aStreamHoldsARelaysWholeReadBatchBeforeItTurnsUnwritable() {
        client(NO_SHAPING);
        AnyTlsStream stream = openStream(new Quiet());

        stream.write(Unpooled.wrappedBuffer(new byte[200 * 1024])); // a batch of reads, not flushed yet
        assertThat(stream.isWritable()).as("after 200 KiB").isTrue();
        stream.write(Unpooled.wrappedBuffer(new byte[100 * 1024]));
        assertThat(stream.isWritable()).as("after 300 KiB").isFalse();

        stream.flush();
        carrier.runPendingTasks();
        assertThat(stream.isWritable()).as("flushed").isTrue();
        assertThat(pshPayload(drainOutbound())).hasSize(300 * 1024);
    }

    @Test
    void aWriterDrivenByWritabilityGetsEverythingThroughEvenWhenItWritesWhileTheStreamFlushes() {
        client(NO_SHAPING);
        Pump pump = new Pump(200, 1000);
        AnyTlsStream stream = openStream(pump);
        carrier.config().setWriteBufferWaterMark(new WriteBufferWaterMark(2048, 4096));
        stream.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8192, 16384)); // below the pump's 200 KB
        pump.start();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int round = 0; round < 100 && wire.size() < pump.total(); round++) {
            carrier.runPendingTasks();
            wire.writeBytes(drainOutbound());
        }

        assertThat(pump.left()).as("chunks the pump could not write").isZero();
        assertThat(pshPayload(wire.toByteArray())).hasSize(pump.total());
        assertThat(stream.isWritable()).isTrue();
        assertThat(log.flushes()).as("more than one flush: writability did throttle the pump").isGreaterThan(1);
    }

    /** Records what reaches the carrier below the session: W<bytes> per write, F per flush. */
    private static final class CarrierLog extends ChannelOutboundHandlerAdapter {
        final List<String> events = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            events.add("W" + ((ByteBuf) msg).readableBytes());
            ctx.write(msg, promise);
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            events.add("F");
            ctx.flush();
        }

        long flushes() {
            return events.stream().filter("F"::equals).count();
        }
    }

    /** Holds writes, and ignores flushes, while asked to: a stand-in for a TLS handler whose peer does not read. */
    private static final class HoldingHandler extends ChannelOutboundHandlerAdapter {
        private ChannelHandlerContext ctx;
        private PendingWriteQueue held;
        private boolean holding;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
            this.held = new PendingWriteQueue(ctx);
        }

        void hold() {
            holding = true;
        }

        void release() {
            if (holding) {
                holding = false;
                held.removeAndWriteAll();
                ctx.flush();
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (holding) {
                held.add(msg, promise);
            } else {
                ctx.write(msg, promise);
            }
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!holding) {
                ctx.flush();
            }
        }
    }

    /** Swallows the session-lost error every stream sees when the test ends. */
    private static class Quiet extends ChannelInboundHandlerAdapter {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        }
    }

    /** Writes chunks while the stream is writable and goes on when it turns writable again, like a relay. */
    private static final class Pump extends Quiet {
        private final int chunks;
        private final int chunkSize;
        private ChannelHandlerContext ctx;
        private int left;

        Pump(int chunks, int chunkSize) {
            this.chunks = chunks;
            this.chunkSize = chunkSize;
            this.left = chunks;
        }

        int total() {
            return chunks * chunkSize;
        }

        int left() {
            return left;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        void start() {
            pump();
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                pump();
            }
            ctx.fireChannelWritabilityChanged();
        }

        private void pump() {
            boolean wrote = false;
            while (left > 0 && ctx.channel().isWritable()) {
                ctx.write(Unpooled.wrappedBuffer(new byte[chunkSize]));
                left--;
                wrote = true;
            }
            if (wrote) {
                ctx.flush();
            }
        }
    }
}
