package org.anytls4j.anytls.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frame;
import org.anytls4j.anytls.wire.Settings;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * The server end of one authenticated AnyTLS session (§7.2, §12): answers Settings with UpdatePaddingScheme (when
 * the client's md5 differs) and then ServerSettings, refuses streams before Settings with the reference's alert,
 * accepts streams up to a limit, reports each stream's outbound result with SYNACK to v2 clients, and closes the
 * session after an idle timeout. It never pads.
 *
 * <p>Its carrier pipeline ({@link CarrierPipeline#server}) puts the frame codec, the heartbeats and the stream table
 * around it; this handler sees only control frames.
 */
public final class ServerSessionHandler extends ControlFrameHandler {
    /** The exact alert text of the reference implementation (§5.2). */
    public static final String NO_SETTINGS_ALERT = "client did not send its settings";
    /**
     * SYNs beyond {@link ServerSessionOptions#maxStreamsPerSession()} a session may send before it is closed. Clients
     * of every implementation run one stream per session at a time (§11), so refusals mean a broken or hostile
     * client; refusing each SYN forever would let one that never reads pile up refusal frames without bound.
     */
    static final int MAX_REFUSED_STREAMS = 16;

    private final String sessionId;
    private final ServerSessionOptions options;
    private final String user;
    private final ServerEvents events;
    private final StreamMultiplexer streams;
    private final HeartbeatHandler heartbeat = new HeartbeatHandler();

    private ChannelHandlerContext ctx;
    private boolean settingsReceived;
    private int peerVersion;
    private String clientName;
    private ScheduledFuture<?> idleTimer;
    private int refusedStreams;

    public ServerSessionHandler(String sessionId, String user, ServerSessionOptions options, ServerEvents events) {
        this.sessionId = sessionId;
        this.user = user;
        this.options = options;
        this.events = events;
        this.streams = new StreamMultiplexer(sessionId, new Role());
    }

    public String sessionId() {
        return sessionId;
    }

    /** The authenticated user name (never the password). */
    public String user() {
        return user;
    }

    /** The version the client announced in Settings; 0 before Settings. */
    public int peerVersion() {
        return peerVersion;
    }

    /** The client software the client reported ({@code client=}), or null. */
    public String clientName() {
        return clientName;
    }

    /** The TLS connection this session runs on; null before the session joined a pipeline. */
    public Channel channel() {
        return ctx == null ? null : ctx.channel();
    }

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

    /** Closes the session for {@code cause}; the first cause wins. Must run on the session's event loop. */
    public void closeSession(TransportException cause) {
        streams.closeSession(cause);
    }

    StreamMultiplexer multiplexer() {
        return streams;
    }

    HeartbeatHandler heartbeat() {
        return heartbeat;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        armIdleTimer();
    }

    @Override
    void onControlFrame(Frame frame) {
        switch (frame.command()) {
            case Command.SETTINGS:
                onSettings(frame);
                break;
            case Command.SYN:
                onSyn(frame.streamId());
                break;
            case Command.ALERT:
                if (frame.length() > 0) {
                    closeSession(new TransportException(Reason.UPSTREAM_PROTOCOL, Phase.DATA, options.serverName(),
                            "the client sent an alert: " + frame.content().toString(StandardCharsets.UTF_8), null));
                }
                break;
            default:
                // Waste, SYNACK, ServerSettings and UpdatePaddingScheme from a client, and unknown commands: consumed
                // and ignored, so that newer clients keep working (§5.3).
                break;
        }
    }

    private void onSettings(Frame frame) {
        if (frame.length() == 0) {
            return; // An empty Settings frame does not count as settings (§5.2).
        }
        Map<String, String> settings = Settings.parse(frame.content());
        settingsReceived = true;
        clientName = settings.get("client");
        PaddingScheme scheme = options.paddingScheme().get();
        if (!scheme.md5Hex().equals(settings.get("padding-md5"))) {
            // One TLS record per frame, as the reference server writes them: no distinguishing shape.
            ctx.writeAndFlush(Frame.of(ctx.alloc(), Command.UPDATE_PADDING_SCHEME, 0, scheme.raw()),
                    ctx.voidPromise());
        }
        OptionalInt version = Settings.version(settings);
        if (version.isPresent() && version.getAsInt() >= 2) {
            peerVersion = version.getAsInt();
            ctx.writeAndFlush(Frame.text(ctx.alloc(), Command.SERVER_SETTINGS, 0, Settings.SERVER_SETTINGS_V2),
                    ctx.voidPromise());
        } else if (version.isPresent()) {
            peerVersion = Math.max(0, version.getAsInt());
        }
    }

    private void onSyn(int streamId) {
        if (!settingsReceived) {
            ctx.writeAndFlush(Frame.text(ctx.alloc(), Command.ALERT, 0, NO_SETTINGS_ALERT), ctx.voidPromise());
            closeSession(new TransportException(Reason.UPSTREAM_PROTOCOL, Phase.STREAM_OPEN, options.serverName(),
                    "the client opened a stream before sending its settings", null));
            return;
        }
        if (streams.hasStream(streamId)) {
            return; // A repeated SYN is ignored (§5.2).
        }
        if (streams.streamCount() >= options.maxStreamsPerSession()) {
            refuse(streamId);
            return;
        }
        cancelIdleTimer();
        AnyTlsStreamChannel stream = streams.newStream(streamId, null, options.streamHandler().get());
        stream.attr(StreamAttributes.USER).set(user);
        stream.attr(StreamAttributes.CONNECT_RESULT).set(error -> sendSynAck(streamId, error));
        events.streamOpened(this, stream);
        stream.activate();
    }

    private void refuse(int streamId) {
        if (++refusedStreams > MAX_REFUSED_STREAMS) {
            closeSession(new TransportException(Reason.UPSTREAM_PROTOCOL, Phase.STREAM_OPEN, options.serverName(),
                    "the client kept opening streams beyond the limit of " + options.maxStreamsPerSession()
                            + " (" + refusedStreams + " refused)", null));
            return;
        }
        if (peerVersion >= 2) {
            ctx.write(Frame.text(ctx.alloc(), Command.SYNACK, streamId,
                    "too many concurrent streams on this session (limit " + options.maxStreamsPerSession() + ")"),
                    ctx.voidPromise());
        }
        ctx.writeAndFlush(Frame.control(Command.FIN, streamId), ctx.voidPromise());
    }

    /** Reports the outbound result of {@code streamId}: empty text for success (§8.3); v1 clients get nothing. */
    private void sendSynAck(int streamId, String error) {
        if (peerVersion < 2 || !isOpen()) {
            return;
        }
        Frame frame = error == null || error.isEmpty()
                ? Frame.control(Command.SYNACK, streamId)
                : Frame.text(ctx.alloc(), Command.SYNACK, streamId, truncate(error));
        ctx.writeAndFlush(frame, ctx.voidPromise());
    }

    private static String truncate(String error) {
        // A frame carries at most 65535 bytes; error texts are short, but a hostile DNS name need not be.
        return error.length() > 1024 ? error.substring(0, 1024) : error;
    }

    private void armIdleTimer() {
        long timeout = options.idleSessionTimeout().toNanos();
        if (timeout <= 0 || idleTimer != null || streams.closeCause() != null) {
            return;
        }
        idleTimer = ctx.executor().schedule(() -> {
            idleTimer = null;
            if (streams.streamCount() == 0) {
                closeSession(SessionErrors.sessionLost(options.serverName(),
                        "idle for " + options.idleSessionTimeout().toMillis() + " ms"));
            }
        }, timeout, TimeUnit.NANOSECONDS);
    }

    private void cancelIdleTimer() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }

    /** The session's side of its streams' and its own end. */
    private final class Role implements SessionRole {
        @Override
        public String transportName() {
            return options.serverName();
        }

        @Override
        public void streamClosed(AnyTlsStreamChannel stream) {
            events.streamClosed(ServerSessionHandler.this, stream);
            if (streams.streamCount() == 0) {
                armIdleTimer();
            }
        }

        @Override
        public void sessionClosed(TransportException cause) {
            cancelIdleTimer();
            events.sessionClosed(ServerSessionHandler.this);
        }
    }
}
