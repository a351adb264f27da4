package org.anytls4j.benchmarks.e2e;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Promise;

import java.net.InetSocketAddress;

/**
 * The application side of a SOCKS5 CONNECT (no authentication) to the reference host, as a browser or curl speaks it:
 * greeting, wait for the method, CONNECT to an IPv4 target, wait for the reply. Nothing is pipelined, so the measured
 * open pays the same round trips as a real client. On success it hands the channel to {@code next} (which then sees
 * {@code channelActive}, as if it had been there from the connect) and completes {@code ready}; on any failure it
 * fails {@code ready} and closes the channel.
 */
final class Socks5Connector extends ChannelInboundHandlerAdapter {
    private static final int VERSION = 5;
    private static final int NO_AUTH = 0;
    private static final int CONNECT = 1;
    private static final int IPV4 = 1;
    private static final int DOMAIN = 3;
    private static final int IPV6 = 4;

    private final InetSocketAddress target;
    private final ChannelHandler next;
    private final Promise<Void> ready;
    private ByteBuf received;
    private boolean methodChosen;

    Socks5Connector(InetSocketAddress target, ChannelHandler next, Promise<Void> ready) {
        if (target.getAddress() == null || target.getAddress().getAddress().length != 4) {
            throw new IllegalArgumentException("the SOCKS5 benchmark client connects to IPv4 targets only, was " + target);
        }
        this.target = target;
        this.next = next;
        this.ready = ready;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        received = ctx.alloc().buffer(32);
        ctx.writeAndFlush(ctx.alloc().buffer(3).writeByte(VERSION).writeByte(1).writeByte(NO_AUTH));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (received != null) {
            received.release();
            received = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf data = (ByteBuf) msg;
        try {
            received.writeBytes(data);
        } finally {
            data.release();
        }
        if (!methodChosen) {
            if (received.readableBytes() < 2) {
                return;
            }
            int version = received.readUnsignedByte();
            int method = received.readUnsignedByte();
            if (version != VERSION || method != NO_AUTH) {
                fail(ctx, "the host chose SOCKS version " + version + " method " + method + ", not 5 / no auth");
                return;
            }
            methodChosen = true;
            ByteBuf request = ctx.alloc().buffer(10).writeByte(VERSION).writeByte(CONNECT).writeByte(0)
                    .writeByte(IPV4).writeBytes(target.getAddress().getAddress()).writeShort(target.getPort());
            ctx.writeAndFlush(request);
            return;
        }
        int length = replyLength();
        if (length < 0 || received.readableBytes() < length) {
            return;
        }
        int code = received.getUnsignedByte(received.readerIndex() + 1);
        if (code != 0) {
            fail(ctx, "the host answered the CONNECT to " + target + " with SOCKS5 reply code " + code);
            return;
        }
        received.skipBytes(length);
        if (received.isReadable()) {
            fail(ctx, "the host sent " + received.readableBytes() + " bytes after its reply, before any request");
            return;
        }
        ctx.pipeline().replace(this, "application", next);
        ready.trySuccess(null);
        // next was not there when the channel became active: let it start now (the head passes the event on).
        ctx.channel().pipeline().fireChannelActive();
    }

    /** Length of the CONNECT reply (version, code, reserved, address, port), or -1 while it is not known yet. */
    private int replyLength() {
        if (received.readableBytes() < 5) {
            return -1;
        }
        int type = received.getUnsignedByte(received.readerIndex() + 3);
        switch (type) {
            case IPV4:
                return 4 + 4 + 2;
            case IPV6:
                return 4 + 16 + 2;
            case DOMAIN:
                return 4 + 1 + received.getUnsignedByte(received.readerIndex() + 4) + 2;
            default:
                throw new IllegalStateException("the host's reply has unknown address type " + type);
        }
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        ready.tryFailure(new IllegalStateException(why));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ready.tryFailure(new IllegalStateException("the host closed the connection during the SOCKS5 handshake"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ready.tryFailure(cause);
        ctx.close();
    }
}
