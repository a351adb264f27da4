package org.anytls4j.anytls.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Hex helpers for byte-exact assertions. */
final class Hex {
    private Hex() {
    }

    static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
    }

    /** Hex of the readable bytes, then releases the buffer. */
    static String drain(ByteBuf buf) {
        try {
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }

    static String hex(String ascii) {
        return ByteBufUtil.hexDump(ascii.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A frame's hex: cmd, stream id, length, body. */
    static String frame(int cmd, long streamId, String bodyHex) {
        int length = bodyHex.length() / 2;
        return String.format("%02x%08x%04x", cmd, streamId, length) + bodyHex;
    }
}
