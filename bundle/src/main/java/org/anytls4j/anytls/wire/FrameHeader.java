package org.anytls4j.anytls.wire;

import io.netty.buffer.ByteBuf;

/**
 * The 7-byte frame header (spec §4.1): {@code cmd u8 | streamId u32 BE | length u16 BE}.
 */
public final class FrameHeader {

    /** Bytes in a frame header. */
    public static final int SIZE = 7;
    /** The largest body a frame can announce in its 16-bit length field. */
    public static final int MAX_LENGTH = 0xFFFF;

    /**
     * The body length of the next of the frames that carry {@code remaining} bytes: as few frames as the limit
     * allows, of even size, so that 65 536 bytes go as two frames of 32 768 rather than 65 535 and a lone byte.
     */
    public static int nextChunk(int remaining) {
        int framesLeft = framesFor(remaining);
        return framesLeft <= 1 ? remaining : (remaining + framesLeft - 1) / framesLeft;
    }

    /** How many frames carry {@code length} bytes of data: the fewest the limit allows. */
    public static int framesFor(int length) {
        return (length + MAX_LENGTH - 1) / MAX_LENGTH;
    }

    static final int LENGTH_OFFSET = 5;

    private FrameHeader() {
    }

    /**
     * Writes a frame header at the writer index of {@code out}.
     *
     * @param streamId the raw 32 bits of the unsigned stream id
     * @throws IllegalArgumentException if {@code command} is not a byte or {@code length} is outside 0..65535
     */
    public static void write(ByteBuf out, int command, int streamId, int length) {
        Command.checkCommand(command);
        checkLength(length);
        out.writeByte(command);
        out.writeInt(streamId);
        out.writeShort(length);
    }

    static int checkLength(int length) {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("frame length " + length + " is outside 0.." + MAX_LENGTH);
        }
        return length;
    }
}
