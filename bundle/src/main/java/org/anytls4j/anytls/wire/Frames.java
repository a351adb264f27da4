package org.anytls4j.anytls.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Objects;

/**
 * Encoders for whole frames. Every method returns a new buffer, allocated from the given allocator and owned by
 * the caller.
 */
public final class Frames {

    private Frames() {
    }

    /** A frame without body, e.g. SYN, FIN, an empty SYNACK or a heartbeat. */
    public static ByteBuf control(ByteBufAllocator alloc, int command, int streamId) {
        Command.checkCommand(command);
        ByteBuf out = alloc.buffer(FrameHeader.SIZE);
        FrameHeader.write(out, command, streamId, 0);
        return out;
    }

    /**
     * A frame whose body is {@code body}.
     *
     * @throws IllegalArgumentException if {@code body} is longer than 65535 bytes
     */
    public static ByteBuf control(ByteBufAllocator alloc, int command, int streamId, byte[] body) {
        Command.checkCommand(command);
        checkBodyLength(command, body.length);
        ByteBuf out = alloc.buffer(FrameHeader.SIZE + body.length);
        FrameHeader.write(out, command, streamId, body.length);
        out.writeBytes(body);
        return out;
    }

    /**
     * A frame whose body is the UTF-8 encoding of {@code utf8Text}: Settings, ServerSettings, Alert, a failing
     * SYNACK, UpdatePaddingScheme.
     *
     * @throws IllegalArgumentException if the encoded text is longer than 65535 bytes
     */
    public static ByteBuf text(ByteBufAllocator alloc, int command, int streamId, String utf8Text) {
        Objects.requireNonNull(utf8Text, "utf8Text");
        Command.checkCommand(command);
        int length = ByteBufUtil.utf8Bytes(utf8Text);
        checkBodyLength(command, length);
        ByteBuf out = alloc.buffer(FrameHeader.SIZE + length);
        FrameHeader.write(out, command, streamId, length);
        ByteBufUtil.writeUtf8(out, utf8Text);
        return out;
    }

    /**
     * PSH frames carrying the readable bytes of {@code payload}, split into frames of at most 65535 bytes (§4.1),
     * of even size ({@link FrameHeader#nextChunk}).
     *
     * <p>Takes ownership of {@code payload} and releases it on every path. The payload is not copied: the result
     * is a composite of 7-byte headers and retained slices of the payload. An empty payload yields an empty buffer
     * and no frame at all, because a zero-length PSH is a no-op that the legacy client would still count as a
     * padding packet (§8.2).
     */
    public static ByteBuf psh(ByteBufAllocator alloc, int streamId, ByteBuf payload) {
        try {
            int remaining = payload.readableBytes();
            if (remaining == 0) {
                return Unpooled.EMPTY_BUFFER;
            }
            int frames = FrameHeader.framesFor(remaining);
            // Two components per frame; a smaller limit would make the composite consolidate, i.e. copy.
            CompositeByteBuf out = alloc.compositeBuffer(2 * frames);
            try {
                int index = payload.readerIndex();
                while (remaining > 0) {
                    int chunk = FrameHeader.nextChunk(remaining);
                    ByteBuf header = alloc.buffer(FrameHeader.SIZE);
                    // Written before adding: the composite grows its writer index by what is readable when added.
                    FrameHeader.write(header, Command.PSH, streamId, chunk);
                    out.addComponent(true, header);
                    out.addComponent(true, payload.retainedSlice(index, chunk));
                    index += chunk;
                    remaining -= chunk;
                }
                return out;
            } catch (RuntimeException | Error e) {
                out.release();
                throw e;
            }
        } finally {
            payload.release();
        }
    }

    /**
     * A Waste frame (stream id 0) with {@code paddingLength} zero bytes.
     *
     * @throws IllegalArgumentException if {@code paddingLength} is outside 0..65535
     */
    public static ByteBuf waste(ByteBufAllocator alloc, int paddingLength) {
        checkBodyLength(Command.WASTE, paddingLength);
        ByteBuf out = alloc.buffer(FrameHeader.SIZE + paddingLength);
        writeWaste(out, paddingLength);
        return out;
    }

    /**
     * Appends a Waste frame (stream id 0) with {@code paddingLength} zero bytes to {@code out}; the padding writer
     * uses this to fill a record up to its drawn size (§9.4).
     *
     * @throws IllegalArgumentException if {@code paddingLength} is outside 0..65535
     */
    public static void writeWaste(ByteBuf out, int paddingLength) {
        checkBodyLength(Command.WASTE, paddingLength);
        FrameHeader.write(out, Command.WASTE, 0, paddingLength);
        out.writeZero(paddingLength);
    }

    private static void checkBodyLength(int command, int length) {
        if (length < 0 || length > FrameHeader.MAX_LENGTH) {
            throw new IllegalArgumentException(Command.name(command) + " body of " + length
                + " bytes is outside the frame limit 0.." + FrameHeader.MAX_LENGTH);
        }
    }
}
