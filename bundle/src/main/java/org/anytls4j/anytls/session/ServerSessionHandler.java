package org.anytls4j.anytls.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frame;
import org.anytls4j.anytls.wire.Frames;
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
 * accepts streams up to a limit, and reports each stream's outbound result with SYNACK to v2 clients. It never pads.
 */
public final class ServerSessionHandler extends AbstractSessionHandler {
    /** The exact alert text of the reference implementation (§5.2). */
    public static final String NO_SETTINGS_ALERT = "client did not send its settings";
    /**
     * SYNs beyond {@link ServerSessionOptions#maxStreamsPerSession()} a session may send before it is closed. Clients
     * of every implementation run one stream per session at a time (§11), so refusals mean a broken or hostile
     * client; refusing each SYN forever would let one that never reads pile up refusal frames without bound.
     */
    static final int MAX_REFUSED_STREAMS = 16;

    private final ServerSessionOptions options;
    private final String user;
    private final ServerEvents events;

    private boolean settingsReceived;
    private int peerVersion;
    private String clientName;
    private ScheduledFuture<?> idleTimer;
    private int refusedStreams;

    public ServerSessionHandler(String sessionId, String user, ServerSessionOptions options, ServerEvents events) {
        super(sessionId);
        this.user = user;
        this.options = options;
        this.events = events;
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

    @Override
    protected String transportName() {
        return options.serverName();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        super.handlerAdded(ctx);
        armIdleTimer();
    }

    @Override
    protected void onControlFrame(Frame frame) {
        switch (frame.command()) {
            case Command.SETTINGS:
                onSettings(frame);
                break;
            case Command.SYN:
                onSyn(frame.streamId());
                break;
            case Command.ALERT:
                if (frame.length() > 0) {
                    closeSession(new TransportException(Reason.UPSTREAM_PROTOCOL, Phase.DATA, transportName(),
                            "the client sent an alert: " + frame.content().toString(StandardCharsets.UTF_8), null));
                }
                break;
            default:
                // SYNACK, ServerSettings and UpdatePaddingScheme from a client, and unknown commands: consumed and
                // ignored, so that newer clients keep working (§5.3).
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
            writeFrames(Frames.control(ctx.alloc(), Command.UPDATE_PADDING_SCHEME, 0, scheme.raw()));
            // One TLS record per frame, as the reference server writes them: no distinguishing shape.
            flushCarrierIfNeeded();
        }
        OptionalInt version = Settings.version(settings);
        if (version.isPresent() && version.getAsInt() >= 2) {
            peerVersion = version.getAsInt();
            writeFrames(Frames.text(ctx.alloc(), Command.SERVER_SETTINGS, 0, Settings.SERVER_SETTINGS_V2));
        } else if (version.isPresent()) {
            peerVersion = Math.max(0, version.getAsInt());
        }
        flushCarrierIfNeeded();
    }

    private void onSyn(int streamId) {
        if (!settingsReceived) {
            writeFrames(Frames.text(ctx.alloc(), Command.ALERT, 0, NO_SETTINGS_ALERT));
            closeSession(new TransportException(Reason.UPSTREAM_PROTOCOL, Phase.STREAM_OPEN, transportName(),
                    "the client opened a stream before sending its settings", null));
            return;
        }
        if (streams.containsKey(streamId)) {
            return; // A repeated SYN is ignored (§5.2).
        }
        if (streams.size() >= options.maxStreamsPerSession()) {
            if (++refusedStreams > MAX_REFUSED_STREAMS) {
                closeSession(new TransportException(Reason.UPSTREAM_PROTOCOL, Phase.STREAM_OPEN, transportName(),
                        "the client kept opening streams beyond the limit of " + options.maxStreamsPerSession()
                                + " (" + refusedStreams + " refused)", null));
                return;
            }
            if (peerVersion >= 2) {
                writeFrames(Frames.text(ctx.alloc(), Command.SYNACK, streamId,
                        "too many concurrent streams on this session (limit " + options.maxStreamsPerSession() + ")"));
            }
            writeFrames(Frames.control(ctx.alloc(), Command.FIN, streamId));
            flushCarrierIfNeeded();
            return;
        }
        cancelIdleTimer();
        AnyTlsStreamChannel stream = newStream(streamId, null, options.streamHandler().get());
        stream.attr(StreamAttributes.USER).set(user);
        events.streamOpened(this, stream);
        stream.activate();
    }

    /** Reports the outbound result of {@code streamId}: empty text for success (§8.3); v1 clients get nothing. */
    @Override
    void sendSynAck(int streamId, String error) {
        if (peerVersion < 2 || !isOpen()) {
            return;
        }
        ByteBuf frame = error == null || error.isEmpty()
                ? Frames.control(ctx.alloc(), Command.SYNACK, streamId)
                : Frames.text(ctx.alloc(), Command.SYNACK, streamId, truncate(error));
        writeFrames(frame);
        flushCarrierIfNeeded();
    }

    private static String truncate(String error) {
        // A frame carries at most 65535 bytes; error texts are short, but a hostile DNS name need not be.
        return error.length() > 1024 ? error.substring(0, 1024) : error;
    }

    @Override
    protected void writeFrames(ByteBuf frames) {
        if (closeCause() != null) {
            discard(frames);
            return;
        }
        writeToCarrier(frames);
    }

    @Override
    protected void onStreamClosed(AnyTlsStreamChannel stream) {
        events.streamClosed(this, stream);
        if (streams.isEmpty()) {
            armIdleTimer();
        }
    }

    @Override
    protected void onSessionClosed(TransportException cause) {
        cancelIdleTimer();
        events.sessionClosed(this);
    }

    private void armIdleTimer() {
        long timeout = options.idleSessionTimeout().toNanos();
        if (timeout <= 0 || idleTimer != null || closeCause() != null) {
            return;
        }
        idleTimer = ctx.executor().schedule(() -> {
            idleTimer = null;
            if (streams.isEmpty()) {
                closeSession(sessionLost("idle for " + options.idleSessionTimeout().toMillis() + " ms"));
            }
        }, timeout, TimeUnit.NANOSECONDS);
    }

    private void cancelIdleTimer() {
        if (idleTimer != null) {
            idleTimer.cancel(false);
            idleTimer = null;
        }
    }
}
