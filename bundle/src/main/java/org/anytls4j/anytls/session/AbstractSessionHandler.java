package org.anytls4j.anytls.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frame;
import org.anytls4j.anytls.wire.Frames;
import org.anytls4j.transport.api.TransportException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What both ends of an AnyTLS session share: the table of streams, delivery of PSH and FIN to them, heartbeat answers,
 * carrier backpressure, and a first-failure-wins close that reports one cause to every stream.
 *
 * <p>Sits after the {@link org.anytls4j.anytls.wire.FrameDecoder} in the carrier pipeline and runs on the carrier's
 * event loop only; nothing here is thread-safe and nothing needs to be.
 */
public abstract class AbstractSessionHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(AbstractSessionHandler.class.getName());

    private final String sessionId;
    protected final IntObjectMap<AnyTlsStreamChannel> streams = new IntObjectHashMap<>();
    private final List<AnyTlsStreamChannel> streamsReadThisBatch = new ArrayList<>();
    private RecordAligner recordAligner = new RecordAligner(TlsRecordSize.MAX_PLAINTEXT);
    private final Consumer<ByteBuf> carrierWrite = this::writeUnflushed;

    protected ChannelHandlerContext ctx;
    private boolean needsFlush;
    /** The carrier writability the streams were last told; the carrier's own event may lag behind (see below). */
    private boolean streamsToldWritable = true;
    private int blockedStreams;
    private TransportException closeCause;
    private long lastFrameReceivedNanos;
    private long framesReceived;

    protected AbstractSessionHandler(String sessionId) {
        this.sessionId = sessionId;
    }

    public final String sessionId() {
        return sessionId;
    }

    final Channel carrier() {
        return ctx.channel();
    }

    /** The TLS connection this session runs on; null before the handler joined a pipeline. */
    public final Channel channel() {
        return ctx == null ? null : ctx.channel();
    }

    /** Whether the session can still carry streams. */
    public boolean isOpen() {
        return closeCause == null && ctx != null && ctx.channel().isActive();
    }

    /** Why the session closed, or null while it is open. */
    public final TransportException closeCause() {
        return closeCause;
    }

    public final int activeStreamCount() {
        return streams.size();
    }

    /** Ticker time of the last frame received from the peer; any frame is proof of life. */
    protected final long lastFrameReceivedNanos() {
        return lastFrameReceivedNanos;
    }

    protected final long framesReceived() {
        return framesReceived;
    }

    protected final long nanoTime() {
        return ctx.executor().ticker().nanoTime();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.lastFrameReceivedNanos = nanoTime();
        // Sessions join the pipeline after the TLS handshake, so the engine's protocol is known here.
        recordAligner = new RecordAligner(TlsRecordSize.configure(ctx.pipeline().get(SslHandler.class)));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        recordAligner.release();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Frame frame = (Frame) msg;
        lastFrameReceivedNanos = nanoTime();
        framesReceived++;
        if (closeCause != null) {
            frame.release();
            return;
        }
        try {
            switch (frame.command()) {
                case Command.PSH:
                    onPsh(frame);
                    break;
                case Command.FIN:
                    onFin(frame.streamId());
                    break;
                case Command.WASTE:
                    break;
                case Command.HEART_REQUEST:
                    writeFrames(Frames.control(ctx.alloc(), Command.HEART_RESPONSE, frame.streamId()));
                    flushCarrierIfNeeded();
                    break;
                case Command.HEART_RESPONSE:
                    break;
                default:
                    onControlFrame(frame);
            }
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

    private void onFin(int streamId) {
        AnyTlsStreamChannel stream = streams.get(streamId);
        if (stream != null) {
            stream.finReceived();
        }
    }

    /** Commands other than PSH, FIN, Waste and heartbeats; the frame is released by the caller. */
    protected abstract void onControlFrame(Frame frame);

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
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        propagateCarrierWritability();
        ctx.fireChannelWritabilityChanged();
    }

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

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closeSession(sessionLost("the connection to the peer closed"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        closeSession(mapCarrierFailure(cause));
    }

    /** Maps a failure of the carrier (decoder error, I/O error, TLS alert) to what streams and the pool see. */
    protected TransportException mapCarrierFailure(Throwable cause) {
        if (cause instanceof TransportException) {
            return (TransportException) cause;
        }
        return SessionErrors.carrierFailure(transportName(), cause);
    }

    protected TransportException sessionLost(String why) {
        return SessionErrors.sessionLost(transportName(), why);
    }

    /** The name of the transport or server this session belongs to, for error messages. */
    protected abstract String transportName();

    // ---- writing ----

    /** Writes one or more complete frames as one logical write of this side (the client pads here). */
    protected abstract void writeFrames(ByteBuf frames);

    /** Payload of a stream; ownership passes to the session. */
    final void writeStreamData(int streamId, ByteBuf payload) {
        if (closeCause != null) {
            payload.release();
            return;
        }
        ByteBuf frames = Frames.psh(ctx.alloc(), streamId, payload);
        if (!frames.isReadable()) {
            frames.release();
            return;
        }
        writeFrames(frames);
    }

    /**
     * Writes to the carrier without flushing; {@link #flushCarrierIfNeeded()} flushes once per batch. The bytes are
     * cut at TLS record boundaries on the way ({@link RecordAligner}), so records may combine several writes.
     */
    protected final void writeToCarrier(ByteBuf data) {
        recordAligner.add(ctx.alloc(), data, carrierWrite);
        needsFlush = true;
        noticeUnwritableCarrier();
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

    private void writeUnflushed(ByteBuf record) {
        ctx.write(record, ctx.voidPromise());
    }

    /** Writes and flushes at once: one call, one TLS record (the padding layer depends on this). */
    protected final void writeRecordToCarrier(ByteBuf record) {
        if (recordAligner.pendingBytes() > 0) {
            // Bytes held back from unshaped writes go first, flushed on their own so as not to join this record.
            recordAligner.drain(carrierWrite);
            ctx.flush();
        }
        ctx.write(record, ctx.voidPromise());
        ctx.flush();
        needsFlush = false;
        noticeUnwritableCarrier();
    }

    final void flushCarrierIfNeeded() {
        if (needsFlush && ctx != null) {
            needsFlush = false;
            recordAligner.drain(carrierWrite);
            ctx.flush();
            noticeUnwritableCarrier();
        }
    }

    // ---- streams ----

    /** Registers a new stream on the carrier's event loop with {@code handler} in its pipeline. */
    protected final AnyTlsStreamChannel newStream(int streamId, java.net.InetSocketAddress destination,
                                                  io.netty.channel.ChannelHandler handler) {
        AnyTlsStreamChannel stream = new AnyTlsStreamChannel(this, streamId, destination);
        if (handler != null) {
            stream.pipeline().addLast(handler);
        }
        streams.put(streamId, stream);
        ctx.channel().eventLoop().register(stream).addListener(registered -> {
            if (!registered.isSuccess()) {
                LOG.log(System.Logger.Level.WARNING, "cannot register stream {0} of session {1}: {2}",
                        Integer.toUnsignedString(streamId), sessionId, registered.cause().toString());
                streams.remove(streamId);
            }
        });
        propagateCarrierWritability();
        stream.carrierWritabilityChanged(streamsToldWritable);
        return stream;
    }

    /** A stream closed locally or by FIN; sends our FIN if asked and the session is alive. */
    void streamClosed(AnyTlsStreamChannel stream, boolean sendFin) {
        if (streams.get(stream.streamId()) == stream) {
            streams.remove(stream.streamId());
        }
        if (sendFin && closeCause == null && ctx.channel().isActive()) {
            writeFrames(Frames.control(ctx.alloc(), Command.FIN, stream.streamId()));
            flushCarrierIfNeeded();
        }
        onStreamClosed(stream);
    }

    /** Server side: the outcome of a stream's outbound connect, as SYNACK (§8.3). */
    void sendSynAck(int streamId, String error) {
        throw new UnsupportedOperationException("only the server end of a session sends SYNACK");
    }

    /** Hook for the client (pool hand-back) and the server (stats); runs after the FIN was written. */
    protected void onStreamClosed(AnyTlsStreamChannel stream) {
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

    // ---- closing ----

    /**
     * Closes the session for {@code cause} unless it is already closed: the first failure wins and is the one every
     * stream and the owner see. No FIN is sent for the streams (§8.5).
     */
    public final void closeSession(TransportException cause) {
        if (closeCause != null) {
            return;
        }
        closeCause = cause;
        for (AnyTlsStreamChannel stream : streams.values().toArray(new AnyTlsStreamChannel[0])) {
            streamLost(stream, cause);
        }
        streams.clear();
        onSessionClosed(cause);
        if (ctx != null) {
            flushCarrierIfNeeded();
            ctx.close();
        }
    }

    /** How one stream learns its session died; the client fails pending opens here. */
    protected void streamLost(AnyTlsStreamChannel stream, TransportException cause) {
        stream.sessionLost(cause);
    }

    /** Hook: the session closed for {@code cause} (already recorded). */
    protected void onSessionClosed(TransportException cause) {
    }

    /** Releases frames that must not be written because the session is gone. */
    protected static void discard(ByteBuf frames) {
        ReferenceCountUtil.safeRelease(frames);
    }
}
