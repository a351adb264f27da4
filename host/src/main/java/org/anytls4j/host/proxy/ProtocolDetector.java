package org.anytls4j.host.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.socksx.v5.Socks5InitialRequestDecoder;
import io.netty.handler.codec.socksx.v5.Socks5ServerEncoder;
import java.util.List;

/**
 * Tells SOCKS5 from HTTP CONNECT by the first byte on one port: a SOCKS5 greeting starts with its version, 5, and
 * an HTTP request with the upper-case letter of its method. Installs the matching handshake and steps aside; the
 * bytes it looked at go on to that handshake. Anything else (SOCKS4, TLS, noise) is closed at once.
 */
final class ProtocolDetector extends ByteToMessageDecoder {
    private static final byte SOCKS5_VERSION = 0x05;

    private final ProxyOptions options;

    ProtocolDetector(ProxyOptions options) {
        this.options = options;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        byte first = in.getByte(in.readerIndex());
        if (first == SOCKS5_VERSION) {
            pipeline.addAfter(ctx.name(), "socks5-encoder", Socks5ServerEncoder.DEFAULT);
            pipeline.addAfter("socks5-encoder", Socks5Handshake.DECODER, new Socks5InitialRequestDecoder());
            pipeline.addAfter(Socks5Handshake.DECODER, "socks5", new Socks5Handshake(options));
        } else if (first >= 'A' && first <= 'Z') {
            pipeline.addAfter(ctx.name(), "http-connect-decoder", new HttpConnectDecoder());
            pipeline.addAfter("http-connect-decoder", "http-connect", new HttpConnectHandler(options));
        } else {
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        pipeline.remove(this);
    }
}
