package org.anytls4j.anytls.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.anytls4j.anytls.padding.InvalidPaddingSchemeException;
import org.anytls4j.anytls.padding.PacketShaper;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frame;
import org.anytls4j.anytls.wire.Frames;
import org.anytls4j.anytls.wire.Settings;
import org.anytls4j.anytls.wire.SocksAddress;
import org.anytls4j.transport.api.TransportException;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The client end of one AnyTLS session (§7.1): it opens streams, pads its first packets (§9), learns the server's
 * version from ServerSettings (§7.3), waits for SYNACK (§8.3), applies padding schemes the server pushes, and
 * optionally probes an idle v2 peer with heartbeats (§10).
 *
 * <p>Installed by {@link ClientSessionConnector} after the TLS handshake and the authentication record.
 */
public final class ClientSessionHandler extends AbstractSessionHandler {
    private static final System.Logger LOG = System.getLogger(ClientSessionHandler.class.getName());

    private static final long DEFAULT_VERSION_DISCOVERY_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final long AUTH_REJECTION_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final ClientSessionOptions options;
    private final ClientSessionListener listener;
    private final PacketShaper shaper;

    /** Settings and the first SYN wait here so that they leave with the first stream's address (packet 1). */
    private CompositeByteBuf pendingWrite;
    private boolean buffering = true;
    private int nextStreamId = 1;
    private int peerVersion;
    /** True once ServerSettings arrived, or once silence showed the server to be v1. */
    private boolean versionKnown;
    private ScheduledFuture<?> heartbeatTimer;
    private long heartbeatSentAtFrame = -1;
    private long heartbeatSentNanos;
    private long createdNanos;

    public ClientSessionHandler(String sessionId, ClientSessionOptions options, ClientSessionListener listener) {
        super(sessionId);
        this.options = options;
        this.listener = listener;
        this.shaper = new PacketShaper(options.paddingScheme(), options.random());
    }

    /** The version the server announced in ServerSettings; 0 until then (and for v1 servers, forever). */
    public int peerVersion() {
        return peerVersion;
    }

    @Override
    protected String transportName() {
        return options.transportName();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        createdNanos = nanoTime();
        pendingWrite = ctx.alloc().compositeBuffer();
        PaddingScheme scheme = options.paddingScheme().get();
        String settings = Settings.clientSettings(options.clientName(), scheme.md5Hex());
        pendingWrite.addComponent(true, Frames.text(ctx.alloc(), Command.SETTINGS, 0, settings));
        scheduleHeartbeatCheck();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        super.handlerRemoved(ctx);
        releasePendingWrite();
    }

    /** Like {@link #openStream(InetSocketAddress, ChannelHandler, ByteBuf, boolean, long, Promise)}, from any thread. */
    public io.netty.util.concurrent.Future<AnyTlsStreamChannel> openStream(InetSocketAddress destination,
            ChannelHandler handler, ByteBuf firstPayload, boolean reused, java.time.Duration openTimeout) {
        io.netty.channel.EventLoop loop = ctx.channel().eventLoop();
        Promise<AnyTlsStreamChannel> promise = loop.newPromise();
        long timeout = openTimeout.toNanos();
        if (loop.inEventLoop()) {
            openStream(destination, handler, firstPayload, reused, timeout, promise);
        } else {
            loop.execute(() -> openStream(destination, handler, firstPayload, reused, timeout, promise));
        }
        return promise;
    }

    /**
     * Opens stream {@code nextStreamId} to {@code destination}: SYN, then the SOCKS address as the first payload
     * (§8.1), then {@code firstPayload} if given (UoT's request header). Must run on the session's event loop.
     *
     * @param reused whether earlier streams ran on this session (arms the SYNACK liveness check, §8.3)
     */
    public void openStream(InetSocketAddress destination, ChannelHandler handler, ByteBuf firstPayload,
                           boolean reused, long openTimeoutNanos, Promise<AnyTlsStreamChannel> promise) {
        assert ctx.executor().inEventLoop();
        if (!isOpen()) {
            ReferenceCountUtil.safeRelease(firstPayload);
            TransportException cause = closeCause() != null ? closeCause() : sessionLost("the session is closed");
            promise.tryFailure(cause);
            return;
        }
        ByteBuf address;
        try {
            address = ctx.alloc().buffer(SocksAddress.encodedLength(destination));
            SocksAddress.encode(address, destination);
        } catch (IllegalArgumentException e) {
            ReferenceCountUtil.safeRelease(firstPayload);
            promise.tryFailure(SessionErrors.badDestination(transportName(), destination, e));
            return;
        }
        int streamId = nextStreamId++;
        AnyTlsStreamChannel stream = newStream(streamId, destination, handler);
        PendingOpen pending = new PendingOpen(stream, promise);
        stream.attr(PendingOpen.KEY).set(pending);
        promise.addListener(done -> {
            if (done.isCancelled()) {
                pending.cancelTimers();
                stream.close();
            }
        });

        // A reused v2 session gets a HeartRequest with its SYN: a live server answers at once, whatever its dial
        // time, so the SYNACK watchdog below can tell a dead session from a slow destination.
        boolean watchdog = options.synackTimeout().toNanos() > 0;
        boolean probe = reused && peerVersion >= 2 && watchdog;
        ByteBuf syn = Frames.control(ctx.alloc(), Command.SYN, streamId);
        if (probe) {
            CompositeByteBuf synAndProbe = ctx.alloc().compositeBuffer(2);
            synAndProbe.addComponent(true, syn);
            synAndProbe.addComponent(true, Frames.control(ctx.alloc(), Command.HEART_REQUEST, 0));
            syn = synAndProbe;
        }
        writeFrames(syn);
        buffering = false;
        // The address goes in its own write, as the reference client does (packet 1 on a new session).
        writeFrames(Frames.psh(ctx.alloc(), streamId, address));
        if (firstPayload != null) {
            if (firstPayload.isReadable()) {
                writeFrames(Frames.psh(ctx.alloc(), streamId, firstPayload));
            } else {
                firstPayload.release();
            }
        }
        flushCarrierIfNeeded();

        long framesAtOpen = framesReceived();
        if (probe) {
            pending.watchdog = ctx.executor().schedule(() -> {
                if (pending.isWaiting() && framesReceived() == framesAtOpen) {
                    closeSession(SessionErrors.synackTimeout(transportName(), options.synackTimeout()));
                }
            }, options.synackTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } else if (!versionKnown) {
            // Until ServerSettings arrives we cannot tell a v1 server (which never sends SYNACK) from a v2 one that
            // is still dialling; a v2 server answers Settings at once, so silence past the timeout means v1.
            pending.watchdog = ctx.executor().schedule(() -> {
                if (pending.isWaiting() && !versionKnown) {
                    versionKnown = true;
                    activate(stream, false);
                }
            }, versionDiscoveryNanos(), TimeUnit.NANOSECONDS);
        } else if (peerVersion < 2) {
            activate(stream, false);
        }
        if (openTimeoutNanos > 0 && pending.isWaiting()) {
            pending.openTimer = ctx.executor().schedule(() -> {
                if (pending.isWaiting()) {
                    pending.fail(SessionErrors.openTimeout(transportName(), destination, openTimeoutNanos));
                    stream.close();
                }
            }, openTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** How long a first stream waits for ServerSettings before taking the server for v1. */
    private long versionDiscoveryNanos() {
        long synack = options.synackTimeout().toNanos();
        return synack > 0 ? synack : DEFAULT_VERSION_DISCOVERY_NANOS;
    }

    private void activate(AnyTlsStreamChannel stream, boolean confirmed) {
        PendingOpen pending = stream.attr(PendingOpen.KEY).getAndSet(null);
        if (pending == null) {
            return;
        }
        pending.cancelTimers();
        stream.attr(org.anytls4j.transport.api.netty.TransportAttributes.CONFIRMED).set(confirmed);
        stream.activate();
        if (!pending.promise.trySuccess(stream)) {
            // Cancelled in the meantime: the stream is not wanted any more.
            stream.close();
        }
    }

    @Override
    protected void onControlFrame(Frame frame) {
        switch (frame.command()) {
            case Command.SYNACK:
                onSynAck(frame);
                break;
            case Command.SERVER_SETTINGS:
                onServerSettings(frame);
                break;
            case Command.UPDATE_PADDING_SCHEME:
                onUpdatePaddingScheme(frame);
                break;
            case Command.ALERT:
                if (frame.length() > 0) {
                    // An empty Alert is ignored by every implementation (§5.3); a text ends the session.
                    String text = frame.content().toString(StandardCharsets.UTF_8);
                    closeSession(SessionErrors.alert(transportName(), text));
                }
                break;
            default:
                // SYN and Settings from a server, and commands from the future: consumed and ignored (§5.3).
                break;
        }
    }

    private void onSynAck(Frame frame) {
        AnyTlsStreamChannel stream = streams.get(frame.streamId());
        if (stream == null) {
            return;
        }
        if (frame.length() == 0) {
            activate(stream, true);
            return;
        }
        String error = frame.content().toString(StandardCharsets.UTF_8);
        TransportException cause = SessionErrors.remoteConnectFailed(transportName(), error);
        PendingOpen pending = stream.attr(PendingOpen.KEY).getAndSet(null);
        if (pending != null) {
            pending.cancelTimers();
            pending.promise.tryFailure(cause);
            stream.close();
        } else {
            stream.failAndClose(cause, true);
        }
    }

    private void onServerSettings(Frame frame) {
        if (frame.length() == 0) {
            return;
        }
        Map<String, String> settings = Settings.parse(frame.content());
        OptionalInt version = Settings.version(settings);
        versionKnown = true;
        if (version.isPresent() && version.getAsInt() > 0) {
            peerVersion = version.getAsInt();
        }
        scheduleHeartbeatCheck();
    }

    private void onUpdatePaddingScheme(Frame frame) {
        byte[] raw = new byte[frame.length()];
        frame.content().getBytes(frame.content().readerIndex(), raw);
        try {
            PaddingScheme scheme = PaddingScheme.parseLenient(raw);
            options.paddingSchemeUpdates().accept(scheme);
            LOG.log(System.Logger.Level.DEBUG, "session {0}: server pushed padding scheme {1}", sessionId(), scheme);
        } catch (InvalidPaddingSchemeException e) {
            LOG.log(System.Logger.Level.WARNING, "session {0}: ignoring an invalid padding scheme from the server: {1}",
                    sessionId(), e.getMessage());
        }
    }

    // ---- writing: the client shapes every logical write while its padding is on ----

    @Override
    protected void writeFrames(ByteBuf frames) {
        if (closeCause() != null) {
            discard(frames);
            return;
        }
        if (buffering) {
            pendingWrite.addComponent(true, frames);
            return;
        }
        ByteBuf write = frames;
        if (pendingWrite != null) {
            CompositeByteBuf combined = pendingWrite;
            pendingWrite = null;
            combined.addComponent(true, frames);
            write = combined;
        }
        if (shaper.shaping()) {
            for (ByteBuf record : shaper.shape(ctx.alloc(), write)) {
                writeRecordToCarrier(record);
            }
        } else {
            writeToCarrier(write);
        }
    }

    // ---- heartbeats (§10): only to v2 peers, only when idle, any frame counts as an answer ----

    private void scheduleHeartbeatCheck() {
        long interval = options.heartbeatInterval().toNanos();
        if (interval <= 0 || peerVersion < 2 || heartbeatTimer != null || ctx == null) {
            return;
        }
        heartbeatTimer = ctx.executor().schedule(this::heartbeatCheck, interval, TimeUnit.NANOSECONDS);
    }

    private void heartbeatCheck() {
        heartbeatTimer = null;
        if (!isOpen()) {
            return;
        }
        long now = nanoTime();
        if (heartbeatSentAtFrame >= 0) {
            if (framesReceived() > heartbeatSentAtFrame) {
                heartbeatSentAtFrame = -1;
            } else if (now - heartbeatSentNanos >= options.heartbeatTimeout().toNanos()) {
                closeSession(SessionErrors.heartbeatTimeout(transportName(), options.heartbeatTimeout()));
                return;
            }
        }
        long idle = now - lastFrameReceivedNanos();
        long interval = options.heartbeatInterval().toNanos();
        long nextCheck;
        if (heartbeatSentAtFrame < 0 && idle >= interval) {
            heartbeatSentAtFrame = framesReceived();
            heartbeatSentNanos = now;
            writeFrames(Frames.control(ctx.alloc(), Command.HEART_REQUEST, 0));
            flushCarrierIfNeeded();
            nextCheck = options.heartbeatTimeout().toNanos();
        } else if (heartbeatSentAtFrame >= 0) {
            nextCheck = Math.max(1, heartbeatSentNanos + options.heartbeatTimeout().toNanos() - now);
        } else {
            nextCheck = Math.max(1, interval - idle);
        }
        heartbeatTimer = ctx.executor().schedule(this::heartbeatCheck, nextCheck, TimeUnit.NANOSECONDS);
    }

    // ---- life cycle ----

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (framesReceived() == 0 && closeCause() == null
                && nanoTime() - createdNanos < AUTH_REJECTION_WINDOW_NANOS) {
            // AnyTLS servers never say why they reject (§3.2): a close soon after the authentication record, before
            // any answer, is the only hint. Later silent closes (idle timeouts) are ordinary session losses.
            closeSession(SessionErrors.closedBeforeAnswer(transportName()));
        }
        super.channelInactive(ctx);
    }

    @Override
    protected void onStreamClosed(AnyTlsStreamChannel stream) {
        PendingOpen pending = stream.attr(PendingOpen.KEY).getAndSet(null);
        if (pending != null) {
            pending.cancelTimers();
            TransportException cause = closeCause() != null ? closeCause()
                    : SessionErrors.cancelled(transportName(), "the stream closed before it opened");
            pending.promise.tryFailure(cause);
        }
        if (closeCause() == null) {
            listener.streamClosed(this, stream);
        }
    }

    @Override
    protected void streamLost(AnyTlsStreamChannel stream, TransportException cause) {
        PendingOpen pending = stream.attr(PendingOpen.KEY).getAndSet(null);
        if (pending != null) {
            pending.cancelTimers();
            pending.promise.tryFailure(cause);
        }
        super.streamLost(stream, cause);
    }

    @Override
    protected void onSessionClosed(TransportException cause) {
        if (heartbeatTimer != null) {
            heartbeatTimer.cancel(false);
            heartbeatTimer = null;
        }
        releasePendingWrite();
        listener.sessionClosed(this, cause);
    }

    private void releasePendingWrite() {
        if (pendingWrite != null) {
            pendingWrite.release();
            pendingWrite = null;
        }
    }

    /** An open waiting for its SYNACK (or for proof that the server is v1). */
    private static final class PendingOpen {
        static final io.netty.util.AttributeKey<PendingOpen> KEY =
                io.netty.util.AttributeKey.valueOf(PendingOpen.class, "pendingOpen");

        final AnyTlsStreamChannel stream;
        final Promise<AnyTlsStreamChannel> promise;
        ScheduledFuture<?> watchdog;
        ScheduledFuture<?> openTimer;

        PendingOpen(AnyTlsStreamChannel stream, Promise<AnyTlsStreamChannel> promise) {
            this.stream = stream;
            this.promise = promise;
        }

        boolean isWaiting() {
            return !promise.isDone() && stream.attr(KEY).get() == this;
        }

        void fail(TransportException cause) {
            stream.attr(KEY).compareAndSet(this, null);
            cancelTimers();
            promise.tryFailure(cause);
        }

        void cancelTimers() {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            if (openTimer != null) {
                openTimer.cancel(false);
            }
        }
    }
}
