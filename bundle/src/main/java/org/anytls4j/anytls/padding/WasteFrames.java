package org.anytls4j.anytls.padding;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Builds the Waste frames (cmd 0, stream id 0, zero body) that padding appends.
 *
 * <p>The padding layer writes these 7-byte headers itself instead of using the frame codec, so that it
 * depends on nothing but the byte layout of spec §4.1.
 */
final class WasteFrames {
    static final int HEADER_LENGTH = 7;
    static final int MAX_BODY = 0xFFFF;

    private static final int CMD_WASTE = 0;
    private static final int SESSION_STREAM_ID = 0;

    private WasteFrames() {
    }

    /**
     * Waste frames whose bodies add up to {@code bodyLength}: one frame unless the body exceeds 65535, then
     * consecutive full frames (the sing-anytls rewrite does the same). The result is
     * {@code bodyLength + 7 * frames} bytes, i.e. {@code l + 7} for the common single frame.
     */
    static ByteBuf withBody(ByteBufAllocator alloc, int bodyLength) {
        if (bodyLength < 1) {
            throw new IllegalArgumentException("waste body length must be >= 1, was " + bodyLength);
        }
        int frames = (bodyLength + MAX_BODY - 1) / MAX_BODY;
        ByteBuf out = alloc.buffer(bodyLength + frames * HEADER_LENGTH);
        int left = bodyLength;
        while (left > 0) {
            int body = Math.min(left, MAX_BODY);
            writeFrame(out, body);
            left -= body;
        }
        return out;
    }

    /**
     * Waste frames that take exactly {@code totalLength} bytes, headers included ({@code totalLength >= 7}).
     * Needed to fill a record up to its planned size; above 65542 bytes it uses several frames and keeps
     * the last one at least a bare header, so that the total is always exact.
     */
    static ByteBuf filling(ByteBufAllocator alloc, int totalLength) {
        if (totalLength < HEADER_LENGTH) {
            throw new IllegalArgumentException("waste of " + totalLength + " bytes cannot hold a "
                    + HEADER_LENGTH + "-byte frame header");
        }
        ByteBuf out = alloc.buffer(totalLength);
        int left = totalLength;
        while (left > 0) {
            int body = left <= MAX_BODY + HEADER_LENGTH
                    ? left - HEADER_LENGTH
                    : Math.min(MAX_BODY, left - 2 * HEADER_LENGTH);
            writeFrame(out, body);
            left -= body + HEADER_LENGTH;
        }
        return out;
    }

    private static void writeFrame(ByteBuf out, int body) {
        out.writeByte(CMD_WASTE);
        out.writeInt(SESSION_STREAM_ID);
        out.writeShort(body);
        out.writeZero(body);
    }
}
