package org.anytls4j.common.relay;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Copies what one channel reads to its peer, with backpressure: reading from this channel pauses while the peer
 * cannot take more, and the peer's reading pauses while this channel cannot. Works for every transport, since it
 * only uses the {@link Channel} contract.
 *
 * <p>End of input: if the peer is a socket ({@link DuplexChannel} that knows {@code ALLOW_HALF_CLOSURE}) the
 * half-close is passed on with {@link DuplexChannel#shutdownOutput()}, and a channel closes once both its directions
 * are done. A peer that cannot half-close on the wire (an AnyTLS stream) cannot tell its far end that no more data
 * comes: its output is shut down locally if it is a {@link DuplexChannel} (so its transport can reuse what it held),
 * and the pair is closed after a short linger that lets the answer in flight arrive (the "one direction done" timer
 * of Xray). Channels
 * that do not allow half-closure never see the end of input: closing either side closes the other once what was
 * written to it has left.
 *
 * <p>Abnormal end: a channel that fails ({@code exceptionCaught}, which a transport stream fires before it closes
 * when its session is lost, times out or breaks, and a socket fires when its peer resets it) makes the relay
 * <em>reset</em> the peer instead of closing it: a socket peer gets {@code SO_LINGER 0} and closes with a TCP RST,
 * so the application at its far end sees "connection reset" and never mistakes a cut transfer for a complete one.
 * A peer without {@code SO_LINGER} (an AnyTLS stream, which has no reset frame) is simply closed. A clean end (FIN,
 * no failure) stays a clean close, half-close included.
 *
 * <p>Install one on each side, each pointing at the other. The one relay of the project: the AnyTLS server (streams
 * to destinations, the TCP fallback) and the host's tunnels use it.
 */
public final class RelayHandler extends ChannelInboundHandlerAdapter {
    private static final System.Logger LOG = System.getLogger(RelayHandler.class.getName());

    private final Channel peer;
    private final Duration halfCloseLinger;
    /** This side failed before it closed: the peer is reset rather than closed cleanly. */
    private boolean failed;

    /**
     * @param halfCloseLinger how long the pair stays open after this side's input ended when the peer cannot
     *                        half-close
     */
    public RelayHandler(Channel peer, Duration halfCloseLinger) {
        this.peer = peer;
        this.halfCloseLinger = halfCloseLinger;
    }

    /** A relay between channels that do not allow half-closure (closing one side closes the other). */
    public RelayHandler(Channel peer) {
        this(peer, Duration.ZERO);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!peer.isActive()) {
            ReferenceCountUtil.release(msg);
            return;
        }
        peer.write(msg, peer.voidPromise());
        if (!peer.isWritable()) {
            // What this read batch wrote is not flushed yet and counts against the peer's marks: pass it on first.
            // Most batches then never pause, and a pause and resume cost two epoll interest changes per source.
            peer.flush();
            if (!peer.isWritable()) {
                ctx.channel().config().setAutoRead(false);
                // The peer may have drained between the check and the pause, on its own thread, and then its
                // writability event came too early to resume us: look again.
                if (peer.isWritable()) {
                    ctx.channel().config().setAutoRead(true);
                }
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        peer.flush();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        peer.config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent) {
            inputEnded(ctx.channel());
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void inputEnded(Channel self) {
        if (passesHalfCloseOn(peer)) {
            DuplexChannel duplexPeer = (DuplexChannel) peer;
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> duplexPeer.shutdownOutput()
                    .addListener(shut -> {
                        if (duplexPeer.isInputShutdown()) {
                            duplexPeer.close();
                        }
                    }));
            if (self instanceof DuplexChannel && ((DuplexChannel) self).isOutputShutdown()) {
                self.close();
            }
        } else {
            if (peer instanceof DuplexChannel) {
                // Its writes end here though its far end cannot learn it (an AnyTLS stream): the transport may lend
                // what the writes held (the stream's session) to others while the answer still arrives.
                ((DuplexChannel) peer).shutdownOutput();
            }
            closeAfterLinger(self);
        }
    }

    /**
     * Whether {@code channel} tells its far end that its output ended: a socket does (it knows the
     * {@code ALLOW_HALF_CLOSURE} option); an AnyTLS stream only ends its own writes (it does not know the option).
     */
    private static boolean passesHalfCloseOn(Channel channel) {
        return channel instanceof DuplexChannel && channel.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE) != null;
    }

    private void closeAfterLinger(Channel self) {
        if (halfCloseLinger.isZero() || self.eventLoop().isShuttingDown()) {
            self.close();
            closeOnFlush(peer);
        } else {
            self.eventLoop().schedule(() -> {
                self.close();
                closeOnFlush(peer);
            }, halfCloseLinger.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (failed) {
            reset(peer);
        } else {
            closeOnFlush(peer);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, () -> "relay " + ctx.channel() + " failed, resetting " + peer + ": "
                + cause);
        failed = true;
        ctx.close();
    }

    /**
     * Closes {@code channel} abortively: a socket is closed with {@code SO_LINGER 0}, which discards what it has not
     * sent yet and sends a TCP RST instead of a FIN; a channel without that option is simply closed.
     */
    public static void reset(Channel channel) {
        if (channel.isActive()) {
            try {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
            } catch (ChannelException alreadyClosed) {
                // closed meanwhile by its own side: nothing left to reset
            }
        }
        channel.close();
    }

    /**
     * Closes {@code channel} once what was written to it has left, or at once when it is inactive or its event loop
     * is shutting down: a flush listener needs a task on that loop, which a loop that stopped taking tasks rejects
     * (Netty then logs "Failed to submit a listener notification task") and the channel would stay open.
     */
    public static void closeOnFlush(Channel channel) {
        if (channel.isActive() && !channel.eventLoop().isShuttingDown()) {
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            channel.close();
        }
    }
}
