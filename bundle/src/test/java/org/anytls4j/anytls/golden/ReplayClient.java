package org.anytls4j.anytls.golden;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Promise;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.session.AnyTlsStream;
import org.anytls4j.anytls.session.CarrierPipeline;
import org.anytls4j.anytls.session.ClientSessionHandler;
import org.anytls4j.anytls.session.ClientSessionListener;
import org.anytls4j.anytls.session.ClientSessionOptions;
import org.anytls4j.anytls.wire.FrameDecoder;
import org.anytls4j.transport.api.TransportException;

/**
 * Our client engine in an {@link EmbeddedChannel} standing for the TLS connection after the auth record: every
 * outbound message is one TLS record. Applications on its streams are recorders. Time is frozen.
 */
final class ReplayClient implements AutoCloseable {
    private static final long OPEN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final EmbeddedChannel channel;
    private final ClientSessionHandler session;
    private final Map<Integer, Promise<AnyTlsStream>> opens = new LinkedHashMap<>();
    private final Map<Integer, ByteArrayOutputStream> received = new LinkedHashMap<>();
    private final List<Integer> closedStreams = new ArrayList<>();
    private final List<TransportException> sessionClosures = new ArrayList<>();
    private final GoldenRandom random;

    /** @param scheme where the session reads its scheme and stores a pushed one, shared by a client's sessions */
    ReplayClient(AtomicReference<PaddingScheme> scheme, GoldenRandom random) {
        this.random = random;
        ClientSessionOptions options = ClientSessionOptions.builder("golden-replay")
            .paddingScheme(scheme::get, scheme::set)
            .random(random)
            .build();
        session = new ClientSessionHandler("golden-client", options, new ClientSessionListener() {
            @Override
            public void streamClosed(ClientSessionHandler closing, AnyTlsStream stream) {
                closedStreams.add(stream.streamId());
            }

            @Override
            public void sessionClosed(ClientSessionHandler closing, TransportException cause) {
                sessionClosures.add(cause);
            }
        });
        channel = new EmbeddedChannel();
        CarrierPipeline.client(channel.pipeline(), null, session);
        channel.freezeTime();
    }

    /** Opens the next stream, as the pool would; its id is the session's next one. */
    Promise<AnyTlsStream> open(int streamId, InetSocketAddress destination, boolean reused) {
        Promise<AnyTlsStream> promise = channel.eventLoop().newPromise();
        opens.put(streamId, promise);
        session.openStream(destination, new Recorder(), null, reused, OPEN_TIMEOUT_NANOS, promise);
        channel.runPendingTasks();
        return promise;
    }

    Promise<AnyTlsStream> openOf(int streamId) {
        Promise<AnyTlsStream> promise = opens.get(streamId);
        if (promise == null) {
            throw new AssertionError("stream " + streamId + " was never opened");
        }
        return promise;
    }

    /** One application write on an open stream. */
    void write(int streamId, byte[] data) {
        AnyTlsStream stream = openOf(streamId).getNow();
        if (stream == null) {
            throw new AssertionError("stream " + streamId + " is not open yet");
        }
        stream.writeAndFlush(Unpooled.wrappedBuffer(data));
        channel.runPendingTasks();
    }

    /** The application closes a stream. */
    void close(int streamId) {
        openOf(streamId).getNow().close();
        channel.runPendingTasks();
    }

    /** One decrypted server TLS record arrives. */
    void receive(byte[] record) {
        channel.writeInbound(Unpooled.wrappedBuffer(record));
        channel.runPendingTasks();
    }

    void advanceTimeBy(Duration duration) {
        channel.advanceTimeBy(duration.toNanos(), TimeUnit.NANOSECONDS);
        channel.runScheduledPendingTasks();
        channel.runPendingTasks();
    }

    /** The TLS connection ends (the pool closing an idle session, or the peer). */
    void closeCarrier() {
        channel.close();
        channel.runPendingTasks();
    }

    /** Records written since the last call, one byte array per outbound message (= TLS record). */
    List<byte[]> writtenRecords() {
        List<byte[]> records = new ArrayList<>();
        for (Object message; (message = channel.readOutbound()) != null; ) {
            ByteBuf record = (ByteBuf) message;
            try {
                records.add(ByteBufUtil.getBytes(record));
            } finally {
                record.release();
            }
        }
        return records;
    }

    /** The source of the session's padding sizes. */
    GoldenRandom random() {
        return random;
    }

    boolean isSessionOpen() {
        return session.isOpen();
    }

    int peerVersion() {
        return session.peerVersion();
    }

    /** Payload each stream's application received, by stream id. */
    Map<Integer, byte[]> received() {
        Map<Integer, byte[]> copy = new LinkedHashMap<>();
        received.forEach((id, bytes) -> copy.put(id, bytes.toByteArray()));
        return copy;
    }

    List<Integer> closedStreams() {
        return closedStreams;
    }

    List<TransportException> sessionClosures() {
        return sessionClosures;
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }

    /** The application of a stream: keeps what arrives, ignores the stream's end. */
    private final class Recorder extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf data = (ByteBuf) msg;
            try {
                int streamId = ((AnyTlsStream) ctx.channel()).streamId();
                received.computeIfAbsent(streamId, id -> new ByteArrayOutputStream())
                    .writeBytes(ByteBufUtil.getBytes(data));
            } finally {
                data.release();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A stream fails when its session dies; the replay checks the session, not each stream's error.
            ctx.close();
        }
    }
}
