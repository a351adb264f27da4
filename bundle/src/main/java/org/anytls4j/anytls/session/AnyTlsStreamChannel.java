package org.anytls4j.anytls.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ChannelOutputShutdownException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.anytls4j.common.channel.BulkSockets;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * One AnyTLS stream as a Netty child {@link io.netty.channel.Channel} of the TLS carrier channel, in the manner of
 * codec-http2's stream channels: it lives on the carrier's event loop, carries {@link ByteBuf}s both ways, and
 * honours {@code autoRead}, {@code read()} and writability.
 *
 * <p><b>Backpressure.</b> AnyTLS has no per-stream flow control (no window updates, §5.2 of the spec). Data for a
 * stream that is not reading (autoRead off and no {@code read()} pending) is queued here, and while any stream of the
 * session holds queued data the session stops reading from its TLS connection. That bounds memory to what one
 * carrier read batch can hold, at the price of head-of-line blocking between streams of one session — the same
 * behaviour as the reference implementation's synchronous pipes. The client pool leases a session to one writing
 * stream at a time, so on the client the stall crosses streams only while a half-closed stream still receives its
 * reply. Writability mirrors the carrier: when the TLS connection's
 * outbound buffer passes its high water mark every stream of the session turns unwritable.
 *
 * <p><b>Closing.</b> There is no half-close in AnyTLS (§8.4): a FIN from the peer closes the stream after the data
 * already received has been read, and a local close sends one FIN (never in answer to the peer's FIN, never after
 * the session died). A local half-close ({@link #shutdownOutput()}) only ends this side's writes (see
 * {@link AnyTlsStream}).
 */
final class AnyTlsStreamChannel extends LocalHalfCloseChannel implements AnyTlsStream {
    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
    /** Index of the user-defined writability bit that follows the carrier's writability. */
    private static final int CARRIER_WRITABILITY_INDEX = 1;

    private enum State { OPENING, ACTIVE, CLOSED }

    private final StreamMultiplexer session;
    private final int streamId;
    private final InetSocketAddress destination;
    private final DefaultChannelConfig config = new StreamConfig();
    private final ArrayDeque<ByteBuf> pendingInbound = new ArrayDeque<>();

    private State state = State.OPENING;
    private boolean readRequested;
    private boolean readCompletePending;
    private boolean remoteFinReceived;
    private boolean reportedBlocked;
    private boolean finSent;
    private boolean flushScheduled;
    private final Runnable flushTask = () -> {
        flushScheduled = false;
        ((StreamUnsafe) unsafe()).flushAgain();
    };
    private long bytesRead;
    private long bytesWritten;
    private boolean outputShutdown;
    private final Promise<Void> writesEnded;

    AnyTlsStreamChannel(StreamMultiplexer session, int streamId, InetSocketAddress destination) {
        super(session.carrier(), new StreamChannelId(session.sessionId(), streamId));
        this.session = session;
        this.streamId = streamId;
        this.destination = destination;
        this.writesEnded = new DefaultPromise<>(session.carrier().eventLoop());
    }

    @Override
    public int streamId() {
        return streamId;
    }

    @Override
    public String sessionId() {
        return session.sessionId();
    }

    @Override
    public long bytesRead() {
        return bytesRead;
    }

    @Override
    public long bytesWritten() {
        return bytesWritten;
    }

    @Override
    public Future<Void> writesEnded() {
        return writesEnded;
    }

    // ---- half-close: local only (see AnyTlsStream) ----

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown || state == State.CLOSED;
    }

    @Override
    void endWrites() {
        if (!outputShutdown && state != State.CLOSED) {
            flush(); // what was written before goes out first
            outputShutdown = true;
            writesEnded.trySuccess(null);
        }
    }

    @Override
    public boolean isInputShutdown() {
        return remoteFinReceived || state == State.CLOSED;
    }

    @Override
    public boolean isShutdown() {
        return state == State.CLOSED;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return state != State.CLOSED;
    }

    @Override
    public boolean isActive() {
        return state == State.ACTIVE;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new StreamUnsafe();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return loop == parent().eventLoop();
    }

    @Override
    protected SocketAddress localAddress0() {
        return parent().localAddress();
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return destination;
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("an AnyTLS stream cannot be bound");
    }

    @Override
    protected void doDisconnect() throws Exception {
        doClose();
    }

    @Override
    protected void doClose() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        releasePendingInbound();
        boolean sendFin = !remoteFinReceived && !finSent;
        finSent = true;
        session.streamClosed(this, sendFin);
        writesEnded.trySuccess(null);
    }

    @Override
    protected void doBeginRead() {
        if (state == State.CLOSED) {
            return;
        }
        readRequested = true;
        if (state == State.ACTIVE && !pendingInbound.isEmpty()) {
            drainPendingInbound();
        }
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        for (;;) {
            Object message = in.current();
            if (message == null) {
                break;
            }
            if (!(message instanceof ByteBuf)) {
                in.remove(new UnsupportedOperationException(
                        "an AnyTLS TCP stream carries ByteBuf, not " + message.getClass().getName()));
                continue;
            }
            ByteBuf data = (ByteBuf) message;
            int length = data.readableBytes();
            if (length > 0) {
                bytesWritten += length;
                session.writeStreamData(this, data.retain());
            }
            in.remove();
        }
        session.flushCarrierIfNeeded();
        if (in.current() != null) {
            // Flushing the carrier can make it writable, and a handler that writes from channelWritabilityChanged
            // then flushes this stream while it is still inside this flush, which Netty ignores. Without a second
            // pass those messages would wait for a flush that may never come (the stream stays unwritable on them).
            // A task rather than a loop, so that other channels of the event loop get their turn, as NIO's own
            // incomplete writes do.
            scheduleFlush();
        }
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            eventLoop().execute(flushTask);
        }
    }

    @Override
    protected Object filterOutboundMessage(Object msg) throws ChannelOutputShutdownException {
        if (outputShutdown && !(msg instanceof ByteBuf && !((ByteBuf) msg).isReadable())) {
            // An empty buffer carries nothing: let a relay's close-after-flush pass without an exception.
            throw new ChannelOutputShutdownException("the output of AnyTLS stream " + id() + " is shut down");
        }
        if (msg instanceof ByteBuf) {
            return msg;
        }
        throw new UnsupportedOperationException(
                "an AnyTLS TCP stream carries ByteBuf, not " + msg.getClass().getName());
    }

    // ---- called by the session, always on the event loop ----

    /** The open succeeded: the stream becomes active and queued data (a v1 peer may send before we know) flows. */
    void activate() {
        if (state != State.OPENING) {
            return;
        }
        state = State.ACTIVE;
        pipeline().fireChannelActive();
        if (readRequested && !pendingInbound.isEmpty()) {
            drainPendingInbound();
        }
        closeIfFinishedByPeer();
    }

    /** Payload from a PSH frame; ownership passes to this channel. */
    void deliver(ByteBuf data) {
        if (state == State.CLOSED) {
            data.release();
            return;
        }
        bytesRead += data.readableBytes();
        if (state == State.ACTIVE && readRequested && pendingInbound.isEmpty()) {
            readCompletePending = true;
            pipeline().fireChannelRead(data);
            return;
        }
        pendingInbound.add(data);
        if (!reportedBlocked && !(state == State.ACTIVE && readRequested)) {
            reportedBlocked = true;
            session.streamBlocked(this);
        }
    }

    /** End of the carrier's read batch: completes the read cycle this stream saw data in. */
    void completeReadBatch() {
        if (readCompletePending) {
            readCompletePending = false;
            if (!config.isAutoRead()) {
                readRequested = false;
            }
            pipeline().fireChannelReadComplete();
        }
    }

    /** The peer sent FIN: close once the data already received has been read. */
    void finReceived() {
        remoteFinReceived = true;
        closeIfFinishedByPeer();
    }

    /**
     * Ends the stream for {@code cause}, which the handler sees first if the stream was active: the one close path for
     * a refused open, an error SYNACK and a lost session. With {@code sendFin} false no FIN goes out (the session is
     * gone, or the peer already forgot the stream).
     */
    void closeAbnormally(Throwable cause, boolean sendFin) {
        if (state == State.CLOSED) {
            return;
        }
        if (!sendFin) {
            remoteFinReceived = true;
        }
        if (state == State.ACTIVE && cause != null) {
            pipeline().fireExceptionCaught(cause);
        }
        unsafe().close(unsafe().voidPromise());
    }

    void carrierWritabilityChanged(boolean writable) {
        ChannelOutboundBuffer buffer = unsafe().outboundBuffer();
        if (buffer != null) {
            buffer.setUserDefinedWritability(CARRIER_WRITABILITY_INDEX, writable);
        }
    }

    boolean hasPendingInbound() {
        return !pendingInbound.isEmpty();
    }

    private void drainPendingInbound() {
        boolean delivered = false;
        while (readRequested && !pendingInbound.isEmpty() && state == State.ACTIVE) {
            ByteBuf data = pendingInbound.poll();
            delivered = true;
            pipeline().fireChannelRead(data);
            if (!config.isAutoRead()) {
                // One read() permits one batch; with autoRead off the handler asks again for more.
                readRequested = false;
            }
        }
        if (delivered && state == State.ACTIVE) {
            pipeline().fireChannelReadComplete();
        }
        if (pendingInbound.isEmpty() && reportedBlocked) {
            reportedBlocked = false;
            session.streamUnblocked(this);
        }
        closeIfFinishedByPeer();
    }

    private void closeIfFinishedByPeer() {
        if (remoteFinReceived && pendingInbound.isEmpty() && state != State.CLOSED) {
            unsafe().close(unsafe().voidPromise());
        }
    }

    private void releasePendingInbound() {
        ByteBuf data;
        while ((data = pendingInbound.poll()) != null) {
            ReferenceCountUtil.safeRelease(data);
        }
        if (reportedBlocked) {
            reportedBlocked = false;
            session.streamUnblocked(this);
        }
    }

    private final class StreamConfig extends DefaultChannelConfig {
        StreamConfig() {
            super(AnyTlsStreamChannel.this);
            // A relay writes a whole read batch before it flushes; at Netty's 64 KiB a stream turned unwritable
            // after one or two reads and paused its source every batch.
            setWriteBufferWaterMark(BulkSockets.writeWaterMark());
        }

        @Override
        protected void autoReadCleared() {
            // Switching autoRead off withdraws the standing read request; data now waits for read().
            readRequested = false;
        }
    }

    private final class StreamUnsafe extends AbstractUnsafe {
        /** Writes what is already flushed but still queued, as a channel's own flush task does. */
        void flushAgain() {
            flush0();
        }

        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            promise.setFailure(new UnsupportedOperationException(
                    "AnyTLS streams are opened through their session, not connected"));
        }
    }
}
