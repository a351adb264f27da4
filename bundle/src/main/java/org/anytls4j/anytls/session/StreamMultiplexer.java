package org.anytls4j.anytls.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frame;
import org.anytls4j.anytls.wire.FrameBatch;
import org.anytls4j.anytls.wire.FrameHeader;
import org.anytls4j.transport.api.TransportException;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The stream table of one AnyTLS session, the last handler of its carrier pipeline, in the manner of Netty's
 * {@code Http2MultiplexHandler}: it delivers PSH and FIN to the stream channels, turns their writes into PSH frames,
 * mirrors the carrier's writability onto them, stops reading the carrier while a stream cannot take more
 * (backpressure), flushes the carrier once per read batch and per stream flush, and closes the session with a
 * first-failure-wins cause that every stream and the session's role see. It does no wire work itself.
 *
 * <p>Runs on the carrier's event loop only; nothing here is thread-safe and nothing needs to be.
 */
public final class StreamMultiplexer extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(StreamMultiplexer.class.getName());

    private final String sessionId;
    private final SessionRole role;
    private final IntObjectMap<AnyTlsStreamChannel> streams = new IntObjectHashMap<>();
    private final List<AnyTlsStreamChannel> streamsReadThisBatch = new ArrayList<>();

    private ChannelHandlerContext ctx;
    private boolean needsFlush;
    /** The carrier writability the streams were last told; the carrier's own event may lag behind (see below). */
    private boolean streamsToldWritable = true;
    private int blockedStreams;
    private TransportException closeCause;

    StreamMultiplexer(String sessionId, SessionRole role) {
        this.sessionId = sessionId;
        this.role = role;
    }

    String sessionId() {
        return sessionId;
    }

    Channel carrier() {
        return ctx.channel();
    }

    /** Whether the session can still carry streams. */
    boolean isOpen() {
        return closeCause == null && ctx != null && ctx.channel().isActive();
    }

    /** Why the session closed, or null while it is open. */
    TransportException closeCause() {
        return closeCause;
    }

    int streamCount() {
        return streams.size();
    }

    AnyTlsStreamChannel stream(int streamId) {
        return streams.get(streamId);
    }

    boolean hasStream(int streamId) {
        return streams.containsKey(streamId);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    // ---- inbound ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame)) {
            ReferenceCountUtil.safeRelease(msg);
            return;
        }
        Frame frame = (Frame) msg;
        try {
            if (closeCause != null) {
                return;
            }
            if (frame.command() == Command.PSH) {
                onPsh(frame);
            } else if (frame.command() == Command.FIN) {
                AnyTlsStreamChannel stream = streams.get(frame.streamId());
                if (stream != null) {
                    stream.finReceived();
                }
            }
            // Anything else reached the end of the pipeline unhandled: consumed and ignored (§5.3).
        } finally {
            frame.release();
        }
    }

    private void onPsh(Frame frame) {
        AnyTlsStreamChannel stream = streams.get(frame.streamId());
        // Data for a stream we do not know (never opened, or closed: FINs cross) is dropped silently (§5.2).
        if (stream == null || frame.length() == 0) {
            return;
        }
        stream.deliver(frame.content().retain());
        if (!streamsReadThisBatch.contains(stream)) {
            streamsReadThisBatch.add(stream);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!streamsReadThisBatch.isEmpty()) {
            AnyTlsStreamChannel[] batch = streamsReadThisBatch.toArray(new AnyTlsStreamChannel[0]);
            streamsReadThisBatch.clear();
            for (AnyTlsStreamChannel stream : batch) {
                stream.completeReadBatch();
            }
        }
        flushCarrierIfNeeded();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        propagateCarrierWritability();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeSession(SessionErrors.sessionLost(role.transportName(), "the connection to the peer closed"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeSession(cause instanceof TransportException ? (TransportException) cause
                : SessionErrors.carrierFailure(role.transportName(), cause));
    }

    // ---- streams ----

    /** Registers a new stream on the carrier's event loop with {@code handler} in its pipeline. */
    AnyTlsStreamChannel newStream(int streamId, InetSocketAddress destination, ChannelHandler handler) {
        AnyTlsStreamChannel stream = new AnyTlsStreamChannel(this, streamId, destination);
        if (handler != null) {
            stream.pipeline().addLast(handler);
        }
        streams.put(streamId, stream);
        ctx.channel().eventLoop().register(stream).addListener(registered -> {
            if (!registered.isSuccess()) {
                LOG.log(System.Logger.Level.WARNING, "cannot register stream {0}: {1}", stream.id(),
                        registered.cause().toString());
                streams.remove(streamId);
            }
        });
        propagateCarrierWritability();
        stream.carrierWritabilityChanged(streamsToldWritable);
        return stream;
    }

    /** Payload of a stream, as PSH frames of at most 65535 bytes in one logical write; ownership passes here. */
    void writeStreamData(AnyTlsStreamChannel stream, ByteBuf payload) {
        if (closeCause != null || !payload.isReadable()) {
            payload.release();
            return;
        }
        int streamId = stream.streamId();
        Object write;
        if (payload.readableBytes() <= FrameHeader.MAX_LENGTH) {
            write = new Frame(Command.PSH, streamId, payload);
        } else {
            try {
                Frame[] frames = new Frame[FrameHeader.framesFor(payload.readableBytes())];
                for (int i = 0; i < frames.length; i++) {
                    int chunk = FrameHeader.nextChunk(payload.readableBytes());
                    frames[i] = new Frame(Command.PSH, streamId, payload.readRetainedSlice(chunk));
                }
                write = new FrameBatch(frames);
            } finally {
                payload.release();
            }
        }
        ctx.write(write, ctx.voidPromise());
        needsFlush = true;
        noticeUnwritableCarrier();
    }

    /** A stream closed locally, by FIN or with its session; sends our FIN if asked and the session is alive. */
    void streamClosed(AnyTlsStreamChannel stream, boolean sendFin) {
        if (streams.get(stream.streamId()) == stream) {
            streams.remove(stream.streamId());
        }
        if (sendFin && closeCause == null && ctx.channel().isActive()) {
            ctx.write(Frame.control(Command.FIN, stream.streamId()), ctx.voidPromise());
            needsFlush = true;
            flushCarrierIfNeeded();
        }
        role.streamClosed(stream);
    }

    void streamBlocked(AnyTlsStreamChannel stream) {
        if (blockedStreams++ == 0) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    void streamUnblocked(AnyTlsStreamChannel stream) {
        if (--blockedStreams == 0 && closeCause == null) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /** Flushes the carrier if a stream wrote since the last flush: once per read batch or stream flush. */
    void flushCarrierIfNeeded() {
        if (needsFlush && ctx != null) {
            needsFlush = false;
            ctx.flush();
            noticeUnwritableCarrier();
        }
    }

    // ---- writability ----

    /** Tells every stream the carrier's writability if it differs from what the streams were last told. */
    private void propagateCarrierWritability() {
        boolean writable = ctx.channel().isWritable();
        if (writable == streamsToldWritable) {
            return;
        }
        streamsToldWritable = writable;
        for (AnyTlsStreamChannel stream : streams.values().toArray(new AnyTlsStreamChannel[0])) {
            stream.carrierWritabilityChanged(writable);
        }
    }

    /**
     * Turns the streams unwritable as soon as the carrier is. The carrier's own event for crossing its high water
     * mark comes later: SslHandler counts its queue with Netty's deferred notification. A handler that writes to a
     * stream from channelWritabilityChanged keeps writing within one call stack until the stream turns unwritable,
     * so without this it would queue everything it has (the whole upload, in the benchmark) before backpressure
     * could act.
     */
    private void noticeUnwritableCarrier() {
        if (streamsToldWritable && !ctx.channel().isWritable()) {
            propagateCarrierWritability();
        }
    }

    // ---- closing ----

    /**
     * Closes the session for {@code cause} unless it is already closed: the first failure wins and is the one every
     * stream and the role see. No FIN is sent for the streams (§8.5).
     */
    void closeSession(TransportException cause) {
        if (closeCause != null) {
            return;
        }
        closeCause = cause;
        for (AnyTlsStreamChannel stream : streams.values().toArray(new AnyTlsStreamChannel[0])) {
            stream.closeAbnormally(cause, false);
        }
        streams.clear();
        role.sessionClosed(cause);
        if (ctx != null) {
            flushCarrierIfNeeded();
            ctx.close();
        }
    }
}
