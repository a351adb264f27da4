package org.anytls4j.anytls.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/** Hex and buffer helpers shared by the wire tests. */
final class Bytes {

    /** A leak-tracked allocator, so the paranoid detector sees every buffer the codecs allocate. */
    static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private Bytes() {
    }

    /** Hex of the readable bytes, then releases {@code buf}: for encoder results compared once. */
    static String hexAndRelease(ByteBuf buf) {
        try {
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }

    static ByteBuf fromHex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex));
    }

    static ByteBuf ascii(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    static String hex(byte[] bytes) {
        return ByteBufUtil.hexDump(bytes);
    }

    static String zeros(int bytes) {
        return "00".repeat(bytes);
    }
}
