package org.anytls4j.anytls.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frame;
import org.anytls4j.transport.api.TransportException;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Heartbeats and liveness of one session (§10), right after the frame codec: it counts every frame the peer sends
 * (any frame is proof of life), answers HeartRequest, swallows HeartResponse, and, once {@link #startProbing} was
 * called (the client, for a v2 peer), sends a HeartRequest after {@code interval} without any frame and closes the
 * session if nothing at all arrives within {@code timeout} of it.
 *
 * <p>A timeout travels down the pipeline as an exception, so the multiplexer closes the session with it.
 */
final class HeartbeatHandler extends ChannelInboundHandlerAdapter {
    private ChannelHandlerContext ctx;
    private long framesReceived;
    private long lastFrameNanos;

    private long intervalNanos;
    private long timeoutNanos;
    private Supplier<TransportException> timeoutCause;
    private ScheduledFuture<?> timer;
    /** {@link #framesReceived} when the outstanding HeartRequest left, or -1 when none is outstanding. */
    private long probeSentAtFrame = -1;
    private long probeSentNanos;

    /** Frames received from the peer so far. */
    long framesReceived() {
        return framesReceived;
    }

    /** Whether a frame arrived within the last {@code windowNanos}; false when none ever did. */
    boolean heardWithin(long windowNanos) {
        return windowNanos > 0 && framesReceived > 0 && now() - lastFrameNanos <= windowNanos;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        lastFrameNanos = now();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stopProbing();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stopProbing();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Frame frame = (Frame) msg;
        framesReceived++;
        lastFrameNanos = now();
        if (frame.command() == Command.HEART_REQUEST) {
            frame.release();
            ctx.writeAndFlush(Frame.control(Command.HEART_RESPONSE, frame.streamId()), ctx.voidPromise());
        } else if (frame.command() == Command.HEART_RESPONSE) {
            frame.release();
        } else {
            ctx.fireChannelRead(frame);
        }
    }

    /** Starts idle probing; a second call does nothing. {@code interval} of zero or less means never. */
    void startProbing(long intervalNanos, long timeoutNanos, Supplier<TransportException> timeoutCause) {
        if (intervalNanos <= 0 || timer != null || ctx == null || !ctx.channel().isActive()) {
            return;
        }
        this.intervalNanos = intervalNanos;
        this.timeoutNanos = timeoutNanos;
        this.timeoutCause = timeoutCause;
        timer = ctx.executor().schedule(this::check, intervalNanos, TimeUnit.NANOSECONDS);
    }

    private void stopProbing() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void check() {
        timer = null;
        if (!ctx.channel().isActive()) {
            return;
        }
        long now = now();
        if (probeSentAtFrame >= 0) {
            if (framesReceived > probeSentAtFrame) {
                probeSentAtFrame = -1;
            } else if (now - probeSentNanos >= timeoutNanos) {
                ctx.fireExceptionCaught(timeoutCause.get());
                return;
            }
        }
        long idle = now - lastFrameNanos;
        long nextCheck;
        if (probeSentAtFrame < 0 && idle >= intervalNanos) {
            probeSentAtFrame = framesReceived;
            probeSentNanos = now;
            ctx.writeAndFlush(Frame.control(Command.HEART_REQUEST, 0), ctx.voidPromise());
            nextCheck = timeoutNanos;
        } else if (probeSentAtFrame >= 0) {
            nextCheck = Math.max(1, probeSentNanos + timeoutNanos - now);
        } else {
            nextCheck = Math.max(1, intervalNanos - idle);
        }
        timer = ctx.executor().schedule(this::check, nextCheck, TimeUnit.NANOSECONDS);
    }

    private long now() {
        return ctx.executor().ticker().nanoTime();
    }
}
