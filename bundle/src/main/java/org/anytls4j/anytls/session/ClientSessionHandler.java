package org.anytls4j.anytls.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.anytls4j.anytls.padding.InvalidPaddingSchemeException;
import org.anytls4j.anytls.padding.PacketShaper;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frame;
import org.anytls4j.anytls.wire.FrameBatch;
import org.anytls4j.anytls.wire.Settings;
import org.anytls4j.anytls.wire.SocksAddress;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.netty.TransportAttributes;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The client end of one AnyTLS session (§7.1): it opens streams (SYN, then the address), learns the server's version
 * from ServerSettings (§7.3), waits for SYNACK (§8.3), applies padding schemes the server pushes, and turns a silent
 * close right after authentication into an authentication error.
 *
 * <p>Its carrier pipeline ({@link CarrierPipeline#client}) puts the padding, the frame codec, the heartbeats and the
 * stream table around it; this handler sees only control frames.
 */
public final class ClientSessionHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(ClientSessionHandler.class.getName());

    private static final long DEFAULT_VERSION_DISCOVERY_NANOS = TimeUnit.SECONDS.toNanos(3);
    /**
     * Version discovery waits this many handshake round trips for ServerSettings: a v2 server answers Settings before
     * it dials anything, so its answer takes about one round trip; a v1 server never answers.
     */
    private static final int DISCOVERY_ROUND_TRIPS = 4;
    private static final long MIN_VERSION_DISCOVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** How long an early-data open on a new session holds packet 1 for the application's first bytes. */
    static final long EARLY_DATA_HOLD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long AUTH_REJECTION_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String sessionId;
    private final ClientSessionOptions options;
    private final ClientSessionListener listener;
    private final StreamMultiplexer streams;
    private final HeartbeatHandler heartbeat = new HeartbeatHandler();
    private final PacketShaper shaper;

    private ChannelHandlerContext ctx;
    private boolean settingsSent;
    private int nextStreamId = 1;
    private int peerVersion;
    /** True once ServerSettings arrived, or once silence showed the server to be v1. */
    private boolean versionKnown;
    /** The version other sessions to this server learned; stands in for {@link #peerVersion} until it is known. */
    private volatile int expectedPeerVersion;
    private long createdNanos;
    /** The TLS handshake's duration, about one round trip to the server; 0 when unknown. */
    private long handshakeNanos;
    /** Set when the session is to close as soon as its last stream ended. */
    private TransportException closeWhenStreamsEnd;

    public ClientSessionHandler(String sessionId, ClientSessionOptions options, ClientSessionListener listener) {
        this.sessionId = sessionId;
        this.options = options;
        this.listener = listener;
        this.streams = new StreamMultiplexer(sessionId, new Role());
        this.shaper = new PacketShaper(options.paddingScheme(), options.random());
    }

    public String sessionId() {
        return sessionId;
    }

    /** The TLS connection this session runs on; null before the session joined a pipeline. */
    public Channel channel() {
        return ctx == null ? null : ctx.channel();
    }

    /** Whether the session can still carry streams. */
    public boolean isOpen() {
        return streams.isOpen();
    }

    /** Why the session closed, or null while it is open. */
    public TransportException closeCause() {
        return streams.closeCause();
    }

    public int activeStreamCount() {
        return streams.streamCount();
    }

    /** The version the server announced in ServerSettings; 0 until then (and for v1 servers, forever). */
    public int peerVersion() {
        return peerVersion;
    }

    /**
     * Tells the session the server's version as other sessions learned it. A pooled session that never carried a
     * stream has not heard ServerSettings yet, and silence would pass for a v1 server; with a v2 server expected, its
     * first open from the pool gets the liveness check of a reused session instead, so a session that died idle is
     * found within the SYNACK timeout rather than handed out unconfirmed.
     */
    public void expectPeerVersion(int version) {
        this.expectedPeerVersion = version;
    }

    /** Closes the session for {@code cause}; the first cause wins. Must run on the session's event loop. */
    public void closeSession(TransportException cause) {
        streams.closeSession(cause);
    }

    /**
     * Closes the session for {@code cause} once its last stream ended, at once if it carries none: a stream whose
     * writes ended can still be receiving its reply when the pool retires the session. On the session's event loop.
     */
    public void closeWhenStreamsEnd(TransportException cause) {
        if (streams.streamCount() == 0) {
            closeSession(cause);
        } else if (closeWhenStreamsEnd == null) {
            closeWhenStreamsEnd = cause;
        }
    }

    /** The connector tells how long the TLS handshake took, which scales the wait for a v1 server (§7.3). */
    void handshakeTook(long nanos) {
        this.handshakeNanos = Math.max(0, nanos);
    }

    StreamMultiplexer multiplexer() {
        return streams;
    }

    HeartbeatHandler heartbeat() {
        return heartbeat;
    }

    PacketShaper shaper() {
        return shaper;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        createdNanos = now();
    }

    // ---- opening streams ----

    /** A confirmed open (see {@link #openStream(InetSocketAddress, ChannelHandler, ByteBuf, boolean, long, boolean,
     * Promise)}), from any thread. */
    public Future<AnyTlsStream> openStream(InetSocketAddress destination, ChannelHandler handler, ByteBuf firstPayload,
                                           boolean reused, Duration openTimeout) {
        return openStream(destination, handler, firstPayload, reused, openTimeout, false);
    }

    /** Like {@link #openStream(InetSocketAddress, ChannelHandler, ByteBuf, boolean, long, boolean, Promise)}, from
     * any thread. */
    public Future<AnyTlsStream> openStream(InetSocketAddress destination, ChannelHandler handler, ByteBuf firstPayload,
                                           boolean reused, Duration openTimeout, boolean earlyData) {
        EventLoop loop = ctx.channel().eventLoop();
        Promise<AnyTlsStream> promise = loop.newPromise();
        long timeout = openTimeout.toNanos();
        if (loop.inEventLoop()) {
            openStream(destination, handler, firstPayload, reused, timeout, earlyData, promise);
        } else {
            loop.execute(() -> openStream(destination, handler, firstPayload, reused, timeout, earlyData, promise));
        }
        return promise;
    }

    /** A confirmed open, on the session's event loop. */
    public void openStream(InetSocketAddress destination, ChannelHandler handler, ByteBuf firstPayload,
                           boolean reused, long openTimeoutNanos, Promise<AnyTlsStream> promise) {
        openStream(destination, handler, firstPayload, reused, openTimeoutNanos, false, promise);
    }

    /**
     * Opens stream {@code nextStreamId} to {@code destination}: SYN, then the SOCKS address as the first payload
     * (§8.1), then {@code firstPayload} if given (UoT's request header), each its own logical write. The first stream
     * of a session sends the client's Settings with its SYN and address as packet 1. Must run on the event loop.
     *
     * <p>A confirmed open completes on the server's SYNACK (v2), or once the server shows itself to be v1. An
     * <b>early-data</b> open completes at once, unconfirmed: the SYN and the address wait (up to
     * {@link #EARLY_DATA_HOLD_NANOS}) for the application's first bytes so that they travel in the same packet, and
     * a failed dial or a dead session arrives later as an exception on the stream, followed by its close.
     *
     * @param reused    whether earlier streams ran on this session (arms the SYNACK liveness check, §8.3)
     * @param earlyData complete the open without waiting for the server
     */
    public void openStream(InetSocketAddress destination, ChannelHandler handler, ByteBuf firstPayload,
                           boolean reused, long openTimeoutNanos, boolean earlyData, Promise<AnyTlsStream> promise) {
        assert ctx.executor().inEventLoop();
        if (!isOpen()) {
            ReferenceCountUtil.safeRelease(firstPayload);
            TransportException cause = closeCause() != null ? closeCause()
                    : SessionErrors.sessionLost(options.transportName(), "the session is closed");
            promise.tryFailure(cause);
            return;
        }
        ByteBuf address;
        try {
            address = ctx.alloc().buffer(SocksAddress.encodedLength(destination));
            SocksAddress.encode(address, destination);
        } catch (IllegalArgumentException e) {
            ReferenceCountUtil.safeRelease(firstPayload);
            promise.tryFailure(SessionErrors.badDestination(options.transportName(), destination, e));
            return;
        }
        int streamId = nextStreamId++;
        AnyTlsStreamChannel stream = streams.newStream(streamId, destination, handler);
        PendingOpen pending = PendingOpen.attach(stream, promise);
        promise.addListener(done -> {
            if (done.isCancelled()) {
                PendingOpen.take(stream);
                stream.close();
            }
        });

        // A reused v2 session gets a HeartRequest with its SYN: a live server answers at once, whatever its dial
        // time, so the SYNACK watchdog can tell a dead session from a slow destination.
        int version = versionKnown ? peerVersion : expectedPeerVersion;
        boolean probe = reused && version >= 2 && options.synackTimeout().toNanos() > 0;
        if (!settingsSent) {
            settingsSent = true;
            String settings = Settings.clientSettings(options.clientName(), options.paddingScheme().get().md5Hex());
            ctx.write(Frame.text(ctx.alloc(), Command.SETTINGS, 0, settings), ctx.voidPromise());
        }
        Frame syn = Frame.control(Command.SYN, streamId);
        ctx.write(probe ? new FrameBatch(syn, Frame.control(Command.HEART_REQUEST, 0)) : syn, ctx.voidPromise());
        ctx.write(new Frame(Command.PSH, streamId, address), ctx.voidPromise());
        if (earlyData && firstPayload == null) {
            // The stream's first flush sends SYN, address and data together; a silent application only waits a little.
            ctx.executor().schedule(ctx::flush, EARLY_DATA_HOLD_NANOS, TimeUnit.NANOSECONDS);
        } else {
            // The flush ends packet 1 on a new session: Settings, SYN and address travel together.
            ctx.flush();
        }
        if (firstPayload != null) {
            if (firstPayload.isReadable()) {
                streams.writeStreamData(stream, firstPayload);
                streams.flushCarrierIfNeeded();
            } else {
                firstPayload.release();
            }
        }

        long now = now();
        pending.framesAtOpen = heartbeat.framesReceived();
        if (earlyData) {
            // Open now; the pending open stays to catch an error SYNACK and to watch the session's liveness.
            stream.attr(TransportAttributes.CONFIRMED).set(false);
            stream.activate();
            promise.trySuccess(stream);
        } else if (openTimeoutNanos > 0) {
            pending.openTimeoutNanos = openTimeoutNanos;
            pending.openDeadlineNanos = now + openTimeoutNanos;
        }
        if (probe) {
            pending.livenessProbe = true;
            pending.watchDeadlineNanos = now + options.synackTimeout().toNanos();
        } else if (!versionKnown) {
            // Until ServerSettings arrives we cannot tell a v1 server (which never sends SYNACK) from a v2 one that
            // is still dialling; a v2 server answers Settings at once, so silence past the timeout means v1.
            pending.watchDeadlineNanos = now + versionDiscoveryNanos();
        } else if (peerVersion < 2) {
            activate(stream, false);
            return;
        }
        armTimer(pending);
    }

    private void armTimer(PendingOpen pending) {
        long deadline = pending.nextDeadlineNanos();
        if (deadline == Long.MAX_VALUE || !pending.isWaiting()) {
            return;
        }
        pending.timer = ctx.executor().schedule(() -> onTimer(pending), Math.max(0, deadline - now()),
                TimeUnit.NANOSECONDS);
    }

    /** The one timer of an open: the open deadline, the reused session's watchdog, or version discovery. */
    private void onTimer(PendingOpen pending) {
        pending.timer = null;
        if (!pending.isWaiting()) {
            return;
        }
        long now = now();
        // Deadlines in the order they fell due: the timer may fire late (a busy loop, or a test's clock jump).
        if (now >= pending.watchDeadlineNanos && pending.watchDeadlineNanos <= pending.openDeadlineNanos) {
            pending.watchDeadlineNanos = Long.MAX_VALUE;
            if (pending.livenessProbe) {
                if (heartbeat.framesReceived() == pending.framesAtOpen) {
                    closeSession(SessionErrors.synackTimeout(options.transportName(), options.synackTimeout()));
                    return;
                }
            } else if (!versionKnown) {
                versionKnown = true;
                activate(pending.stream, false);
                return;
            }
        }
        if (now >= pending.openDeadlineNanos) {
            InetSocketAddress destination = (InetSocketAddress) pending.stream.remoteAddress();
            if (PendingOpen.fail(pending.stream,
                    SessionErrors.openTimeout(options.transportName(), destination, pending.openTimeoutNanos))) {
                pending.stream.close();
            }
            return;
        }
        armTimer(pending);
    }

    /**
     * How long a first stream waits for ServerSettings before taking the server for v1: a few handshake round trips
     * (at least 50 ms), never more than the SYNACK timeout. The reference client does not wait at all; a wrong guess
     * (a v2 server slower than that) costs only the confirmation of this one open, since a late SYNACK or
     * ServerSettings is still honoured.
     */
    private long versionDiscoveryNanos() {
        long synack = options.synackTimeout().toNanos();
        long ceiling = synack > 0 ? synack : DEFAULT_VERSION_DISCOVERY_NANOS;
        if (handshakeNanos <= 0) {
            return ceiling;
        }
        long scaled = handshakeNanos > Long.MAX_VALUE / DISCOVERY_ROUND_TRIPS ? Long.MAX_VALUE
                : handshakeNanos * DISCOVERY_ROUND_TRIPS;
        return Math.min(ceiling, Math.max(MIN_VERSION_DISCOVERY_NANOS, scaled));
    }

    private void activate(AnyTlsStreamChannel stream, boolean confirmed) {
        PendingOpen pending = PendingOpen.take(stream);
        if (pending == null) {
            return;
        }
        if (!stream.isActive()) {
            stream.attr(TransportAttributes.CONFIRMED).set(confirmed);
            stream.activate();
        }
        if (!pending.promise.trySuccess(stream) && !pending.promise.isSuccess()) {
            // Cancelled in the meantime: the stream is not wanted any more.
            stream.close();
        }
    }

    // ---- control frames ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Frame frame = (Frame) msg;
        if (frame.command() == Command.PSH || frame.command() == Command.FIN) {
            ctx.fireChannelRead(frame);
            return;
        }
        try {
            if (isOpen()) {
                onControlFrame(frame);
            }
        } finally {
            frame.release();
        }
    }

    private void onControlFrame(Frame frame) {
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
                    closeSession(SessionErrors.alert(options.transportName(), text));
                }
                break;
            default:
                // Waste, SYN and Settings from a server, and commands from the future: consumed and ignored (§5.3).
                break;
        }
    }

    private void onSynAck(Frame frame) {
        AnyTlsStreamChannel stream = streams.stream(frame.streamId());
        if (stream == null) {
            return;
        }
        if (frame.length() == 0) {
            activate(stream, true);
            return;
        }
        String error = frame.content().toString(StandardCharsets.UTF_8);
        TransportException cause = SessionErrors.remoteConnectFailed(options.transportName(), error);
        if (PendingOpen.fail(stream, cause)) {
            stream.close();
        } else {
            stream.closeAbnormally(cause, true);
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
        if (peerVersion >= 2) {
            heartbeat.startProbing(options.heartbeatInterval().toNanos(), options.heartbeatTimeout().toNanos(),
                    () -> SessionErrors.heartbeatTimeout(options.transportName(), options.heartbeatTimeout()));
        }
    }

    private void onUpdatePaddingScheme(Frame frame) {
        byte[] raw = new byte[frame.length()];
        frame.content().getBytes(frame.content().readerIndex(), raw);
        try {
            PaddingScheme scheme = PaddingScheme.parseLenient(raw);
            options.paddingSchemeUpdates().accept(scheme);
            LOG.log(System.Logger.Level.DEBUG, "session {0}: server pushed padding scheme {1}", sessionId, scheme);
        } catch (InvalidPaddingSchemeException e) {
            LOG.log(System.Logger.Level.WARNING, "session {0}: ignoring an invalid padding scheme from the server: {1}",
                    sessionId, e.getMessage());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (heartbeat.framesReceived() == 0 && closeCause() == null
                && now() - createdNanos < AUTH_REJECTION_WINDOW_NANOS) {
            // AnyTLS servers never say why they reject (§3.2): a close soon after the authentication record, before
            // any answer, is the only hint. Later silent closes (idle timeouts) are ordinary session losses.
            closeSession(SessionErrors.closedBeforeAnswer(options.transportName()));
        }
        ctx.fireChannelInactive();
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    /** The session's side of its streams' and its own end. */
    private final class Role implements SessionRole {
        @Override
        public String transportName() {
            return options.transportName();
        }

        @Override
        public void streamClosed(AnyTlsStreamChannel stream) {
            TransportException cause = closeCause() != null ? closeCause()
                    : SessionErrors.cancelled(options.transportName(), "the stream closed before it opened");
            PendingOpen.fail(stream, cause);
            if (closeCause() == null) {
                listener.streamClosed(ClientSessionHandler.this, stream);
                if (closeWhenStreamsEnd != null && streams.streamCount() == 0) {
                    closeSession(closeWhenStreamsEnd);
                }
            }
        }

        @Override
        public void sessionClosed(TransportException cause) {
            listener.sessionClosed(ClientSessionHandler.this, cause);
        }
    }
}
