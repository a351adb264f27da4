package org.anytls4j.host.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.anytls4j.transport.api.Destination;

/**
 * Reads one HTTP/1.x {@code CONNECT} request head (RFC 9110 §9.3.6) and emits an {@link HttpConnectRequest}, then
 * removes itself, so the bytes after the head reach the tunnel untouched. A proxy that only tunnels needs no more
 * of HTTP than this, which is why it does not pull in a full HTTP codec.
 *
 * <p>Fails with an {@link HttpProxyException} carrying the status to answer: 431 for a head over
 * {@value #MAX_HEAD_BYTES} bytes, 405 for another method, 400 for a malformed line or target.
 */
final class HttpConnectDecoder extends ByteToMessageDecoder {
    static final int MAX_HEAD_BYTES = 8192;
    private static final ByteBuf END_OF_HEAD =
            Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {'\r', '\n', '\r', '\n'}).asReadOnly());

    private boolean failed;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws HttpProxyException {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int end = ByteBufUtil.indexOf(END_OF_HEAD, in);
        if (end < 0) {
            if (in.readableBytes() >= MAX_HEAD_BYTES) {
                throw fail(in, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                        "request head longer than " + MAX_HEAD_BYTES + " bytes");
            }
            return;
        }
        int length = end + END_OF_HEAD.readableBytes() - in.readerIndex();
        if (length > MAX_HEAD_BYTES) {
            throw fail(in, HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "request head of " + length + " bytes, limit " + MAX_HEAD_BYTES);
        }
        String head = in.readCharSequence(length, StandardCharsets.ISO_8859_1).toString();
        out.add(parse(in, head));
        ctx.pipeline().remove(this);
    }

    private HttpConnectRequest parse(ByteBuf in, String head) throws HttpProxyException {
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            throw fail(in, HttpStatus.BAD_REQUEST, "malformed request line '" + lines[0] + "'");
        }
        if (!"CONNECT".equals(requestLine[0])) {
            throw fail(in, HttpStatus.METHOD_NOT_ALLOWED, "method " + requestLine[0] + " (only CONNECT is served)");
        }
        Destination destination;
        try {
            destination = Destination.parse(requestLine[1]);
        } catch (IllegalArgumentException invalid) {
            throw fail(in, HttpStatus.BAD_REQUEST, "CONNECT target: " + invalid.getMessage());
        }
        String authorization = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT)
                    .equals("proxy-authorization")) {
                authorization = lines[i].substring(colon + 1).trim();
            }
        }
        return new HttpConnectRequest(destination, authorization);
    }

    private HttpProxyException fail(ByteBuf in, HttpStatus status, String message) {
        // One answer per connection: whatever else the client sends is dropped until the connection closes.
        failed = true;
        in.skipBytes(in.readableBytes());
        return new HttpProxyException(status, message);
    }
}
