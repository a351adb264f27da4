package org.anytls4j.anytls.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.anytls4j.anytls.padding.InvalidPaddingSchemeException;
import org.anytls4j.anytls.padding.PacketShaper;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frame;
import org.anytls4j.anytls.wire.Settings;
import org.anytls4j.transport.api.TransportException;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The client end of one AnyTLS session (§7.1): it opens streams (SYN, then the address), learns the server's version
 * from ServerSettings (§7.3), waits for SYNACK (§8.3), applies padding schemes the server pushes, and turns a silent
 * close right after authentication into an authentication error.
 *
 * <p>Its carrier pipeline ({@link CarrierPipeline#client}) puts the padding, the frame codec, the heartbeats and the
 * stream table around it; this handler sees only control frames.
 */
public final class ClientSessionHandler extends ControlFrameHandler {
    private static final System.Logger LOG = System.getLogger(ClientSessionHandler.class.getName());

    private static final long AUTH_REJECTION_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String sessionId;
    private final ClientSessionOptions options;
    private final ClientSessionListener listener;
    private final StreamMultiplexer streams;
    private final HeartbeatHandler heartbeat = new HeartbeatHandler();
    private final PacketShaper shaper;

    private ChannelHandlerContext ctx;
    private final PeerVersion version = new PeerVersion();
    private final StreamOpener opener;
    private long createdNanos;
    /** Set when the session is to close as soon as its last stream ended. */
    private TransportException closeWhenStreamsEnd;

    public ClientSessionHandler(String sessionId, ClientSessionOptions options, ClientSessionListener listener) {
        this.sessionId = sessionId;
        this.options = options;
        this.listener = listener;
        this.streams = new StreamMultiplexer(sessionId, new Role());
        this.shaper = new PacketShaper(options.paddingScheme(), options.random());
        this.opener = new StreamOpener(this, options, streams, heartbeat, version);
    }

    public String sessionId() {
        return sessionId;
    }

    /** The TLS connection this session runs on; null before the session joined a pipeline. */
    public Channel channel() {
        return ctx == null ? null : ctx.channel();
    }

    /** Whether the session can still carry streams. */
    @Override
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
        return version.announced();
    }

    /**
     * Tells the session the server's version as other sessions learned it. A pooled session that never carried a
     * stream has not heard ServerSettings yet, and silence would pass for a v1 server; with a v2 server expected, its
     * first open from the pool gets the liveness check of a reused session instead, so a session that died idle is
     * found within the SYNACK timeout rather than handed out unconfirmed.
     */
    public void expectPeerVersion(int expected) {
        version.expect(expected);
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
        version.handshakeTook(nanos);
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
        opener.attached(ctx);
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
     * Opens a stream to {@code destination}: see {@link StreamOpener#open}. The first stream of a session sends the
     * client's Settings with its SYN and address as packet 1. Must run on the event loop.
     *
     * @param reused    whether earlier streams ran on this session (arms the SYNACK liveness check, §8.3)
     * @param earlyData complete the open without waiting for the server: on a fresh session, or on a reused one
     *                  that heard from the server within {@link ClientSessionOptions#earlyDataWindow()}
     */
    public void openStream(InetSocketAddress destination, ChannelHandler handler, ByteBuf firstPayload,
                           boolean reused, long openTimeoutNanos, boolean earlyData, Promise<AnyTlsStream> promise) {
        opener.open(destination, handler, firstPayload, reused, openTimeoutNanos, earlyData, promise);
    }

    // ---- control frames ----

    @Override
    void onControlFrame(Frame frame) {
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
            opener.activate(stream, true);
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
        version.announce(Settings.version(settings));
        if (version.announced() >= 2) {
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
            PendingOpen pending = PendingOpen.take(stream);
            if (pending != null) { // built only then: an exception's stack trace costs more than the close itself
                pending.promise.tryFailure(closeCause() != null ? closeCause()
                        : SessionErrors.cancelled(options.transportName(), "the stream closed before it opened"));
            }
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
