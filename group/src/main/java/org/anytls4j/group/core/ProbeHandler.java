package org.anytls4j.group.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * The HTTP part of a probe: once the stream is active, sends a GET and reports the status code of the response's
 * status line (or why there was none), then closes the stream. Reads at most {@value #MAX_STATUS_LINE} bytes.
 */
final class ProbeHandler extends ChannelInboundHandlerAdapter {
    static final int MAX_STATUS_LINE = 1024;

    private final String host;
    private final String path;
    /** Called once: the status code, or -1 and the reason. */
    private final BiConsumer<Integer, String> done;
    private final StringBuilder line = new StringBuilder();
    private boolean reported;

    ProbeHandler(String host, String path, BiConsumer<Integer, String> done) {
        this.host = host;
        this.path = path;
        this.done = done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: anytls4j-group-probe\r\n"
                + "Connection: close\r\n\r\n";
        ctx.writeAndFlush(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (reported || !(msg instanceof ByteBuf)) {
                return;
            }
            ByteBuf bytes = (ByteBuf) msg;
            while (bytes.isReadable()) {
                char c = (char) (bytes.readByte() & 0xff);
                if (c == '\n') {
                    statusLine(ctx, line.toString().trim());
                    return;
                }
                if (line.length() >= MAX_STATUS_LINE) {
                    report(ctx, -1, "no HTTP status line in the first " + MAX_STATUS_LINE + " bytes");
                    return;
                }
                line.append(c);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void statusLine(ChannelHandlerContext ctx, String text) {
        String[] parts = text.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
            report(ctx, -1, "not an HTTP status line: '" + printable(text) + "'");
            return;
        }
        report(ctx, Integer.parseInt(parts[1]), null);
    }

    private static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        report(ctx, -1, "the stream closed before an HTTP status line");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        report(ctx, -1, "the stream failed: " + cause.getMessage());
    }

    private void report(ChannelHandlerContext ctx, int status, String problem) {
        if (reported) {
            return;
        }
        reported = true;
        ctx.close();
        done.accept(status, problem);
    }
}
