package org.anytls4j.anytls.session;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frame;

/**
 * The inbound rule both session handlers share: stream frames (PSH, FIN) pass on to the stream multiplexer behind
 * the handler; every other frame is a control frame that the handler consumes, and releases, while the session is
 * open (after the close it is dropped).
 */
abstract class ControlFrameHandler extends ChannelInboundHandlerAdapter {

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
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

    /** Whether the session still takes control frames. */
    public abstract boolean isOpen();

    /** One control frame, on the session's event loop; released by the caller afterwards. */
    abstract void onControlFrame(Frame frame);
}
