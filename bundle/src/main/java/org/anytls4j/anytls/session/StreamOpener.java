package org.anytls4j.anytls.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Promise;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frame;
import org.anytls4j.anytls.wire.Settings;
import org.anytls4j.anytls.wire.SocksAddress;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.netty.TransportAttributes;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The stream-open state machine of a client session (§8.1, §8.3): writes Settings (first stream only), SYN and the
 * address, then holds each open until the server's SYNACK, proof that the server is v1, the open deadline, or the
 * reused session's liveness deadline, with one timer per open ({@link PendingOpen}). Confined to the session's
 * event loop; the {@link ClientSessionHandler} owns it and hands it SYNACKs.
 */
final class StreamOpener {
    /**
     * A reused session silent for this part of the SYNACK timeout after an open gets its HeartRequest: late enough
     * that a server answering normally never sees one, early enough to leave the answer most of the timeout.
     */
    static final int PROBE_AFTER_SYNACK_TIMEOUT_PART = 4;

    private final ClientSessionHandler session;
    private final ClientSessionOptions options;
    private final StreamMultiplexer streams;
    private final HeartbeatHandler heartbeat;
    private final PeerVersion version;
    private ChannelHandlerContext ctx;
    private boolean settingsSent;
    private int nextStreamId = 1;

    StreamOpener(ClientSessionHandler session, ClientSessionOptions options, StreamMultiplexer streams,
                 HeartbeatHandler heartbeat, PeerVersion version) {
        this.session = session;
        this.options = options;
        this.streams = streams;
        this.heartbeat = heartbeat;
        this.version = version;
    }

    void attached(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Opens the session's next stream to {@code destination}: SYN, then the SOCKS address as the first payload
     * (§8.1), then {@code firstPayload} if given (UoT's request header), each its own logical write. The first stream
     * of a session sends the client's Settings with its SYN and address as packet 1. Must run on the event loop.
     *
     * <p>A confirmed open completes on the server's SYNACK (v2), or once the server shows itself to be v1. An
     * <b>early-data</b> open completes at once, unconfirmed, and a failed dial or a dead session arrives later as an
     * exception on the stream, followed by its close. Either way the SYN and the address leave at once, as
     * anytls-go's do (its packet 1 is Settings, SYN and address; golden capture tcp-two-streams): the server dials
     * the destination while the application still answers its proxy handshake, and its first bytes follow. Holding
     * them back for those bytes saved a TLS record but put the destination's dial on the open's critical path. On a
     * reused session an open is early only if the session received a frame within
     * {@link ClientSessionOptions#earlyDataWindow()}: one that has been quiet longer may have died unheard, and its
     * open must still be able to move to another session, which it cannot once the application has the channel.
     *
     * @param reused    whether earlier streams ran on this session (arms the SYNACK liveness check, §8.3)
     * @param earlyData complete the open without waiting for the server, where the session allows it (above)
     */
    void open(InetSocketAddress destination, ChannelHandler handler, ByteBuf firstPayload, boolean reused,
              long openTimeoutNanos, boolean earlyData, Promise<AnyTlsStream> promise) {
        assert ctx.executor().inEventLoop();
        earlyData &= !reused || heartbeat.heardWithin(options.earlyDataWindow().toNanos());
        if (!session.isOpen()) {
            ReferenceCountUtil.safeRelease(firstPayload);
            TransportException cause = session.closeCause() != null ? session.closeCause()
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

        // A reused v2 session is watched until the server answers: if nothing at all arrives for a while, a
        // HeartRequest asks (a live server answers at once, whatever its dial time), so the SYNACK watchdog can tell
        // a dead session from a slow destination. Most opens are answered before the probe is due and send none.
        boolean probe = reused && version.assumed() >= 2 && options.synackTimeout().toNanos() > 0;
        if (!settingsSent) {
            settingsSent = true;
            String settings = Settings.clientSettings(options.clientName(), options.paddingScheme().get().md5Hex());
            ctx.write(Frame.text(ctx.alloc(), Command.SETTINGS, 0, settings), ctx.voidPromise());
        }
        Frame syn = Frame.control(Command.SYN, streamId);
        ctx.write(syn, ctx.voidPromise());
        ctx.write(new Frame(Command.PSH, streamId, address), ctx.voidPromise());
        // The flush ends packet 1 on a new session: Settings, SYN and address travel together.
        ctx.flush();
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
            pending.livenessEndNanos = now + options.synackTimeout().toNanos();
            pending.watchDeadlineNanos = now + options.synackTimeout().toNanos() / PROBE_AFTER_SYNACK_TIMEOUT_PART;
        } else if (!version.isKnown()) {
            // Until ServerSettings arrives we cannot tell a v1 server (which never sends SYNACK) from a v2 one that
            // is still dialling; a v2 server answers Settings at once, so silence past the timeout means v1.
            pending.watchDeadlineNanos = now + version.discoveryNanos(options.synackTimeout().toNanos());
        } else if (version.announced() < 2) {
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
                    if (!pending.probeSent) {
                        pending.probeSent = true;
                        ctx.writeAndFlush(Frame.control(Command.HEART_REQUEST, 0), ctx.voidPromise());
                        pending.watchDeadlineNanos = pending.livenessEndNanos;
                        armTimer(pending);
                        return;
                    }
                    session.closeSession(SessionErrors.synackTimeout(options.transportName(),
                            options.synackTimeout()));
                    return;
                }
            } else if (!version.isKnown()) {
                version.silenceMeansV1();
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

    void activate(AnyTlsStreamChannel stream, boolean confirmed) {
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

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }
}
