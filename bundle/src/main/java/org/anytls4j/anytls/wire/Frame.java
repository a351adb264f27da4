package org.anytls4j.anytls.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One decoded AnyTLS frame: command, stream id and body (spec §4.1).
 *
 * <p>The frame owns its body: whoever receives a {@code Frame} must release it. Frames of any command, known or not,
 * carry the body that was on the wire, so that the session layer decides what to do with unexpected data.
 */
public final class Frame extends DefaultByteBufHolder {

    private final int command;
    private final int streamId;

    /**
     * Creates a frame that takes ownership of {@code data}; on an invalid argument {@code data} is released before
     * the exception is thrown, so the caller never has to clean up.
     *
     * @param streamId the raw 32 bits of the unsigned stream id
     * @throws IllegalArgumentException if {@code command} is not a byte or {@code data} exceeds 65535 readable bytes
     */
    public Frame(int command, int streamId, ByteBuf data) {
        super(data);
        try {
            Command.checkCommand(command);
            if (data.readableBytes() > FrameHeader.MAX_LENGTH) {
                throw new IllegalArgumentException("frame body of " + data.readableBytes()
                    + " bytes exceeds the frame limit of " + FrameHeader.MAX_LENGTH);
            }
        } catch (IllegalArgumentException e) {
            data.release();
            throw e;
        }
        this.command = command;
        this.streamId = streamId;
    }

    /** A frame without body: SYN, FIN, an empty SYNACK, a heartbeat. */
    public static Frame control(int command, int streamId) {
        return new Frame(command, streamId, Unpooled.EMPTY_BUFFER);
    }

    /** A frame whose body is the UTF-8 encoding of {@code text}: Settings, ServerSettings, Alert, a failing SYNACK. */
    public static Frame text(ByteBufAllocator alloc, int command, int streamId, String text) {
        int length = ByteBufUtil.utf8Bytes(text);
        ByteBuf body = alloc.buffer(length);
        ByteBufUtil.writeUtf8(body, text);
        return new Frame(command, streamId, body);
    }

    /** A frame whose body is a copy of {@code body}. */
    public static Frame of(ByteBufAllocator alloc, int command, int streamId, byte[] body) {
        ByteBuf content = alloc.buffer(body.length);
        content.writeBytes(body);
        return new Frame(command, streamId, content);
    }

    public int command() {
        return command;
    }

    /** The raw 32 bits of the unsigned stream id; show it with {@link Integer#toUnsignedString(int)}. */
    public int streamId() {
        return streamId;
    }

    /** The body, the same buffer as {@link #content()}. */
    public ByteBuf data() {
        return content();
    }

    /** Readable bytes of the body. */
    public int length() {
        return content().readableBytes();
    }

    @Override
    public Frame copy() {
        return (Frame) super.copy();
    }

    @Override
    public Frame duplicate() {
        return (Frame) super.duplicate();
    }

    @Override
    public Frame retainedDuplicate() {
        return (Frame) super.retainedDuplicate();
    }

    @Override
    public Frame replace(ByteBuf content) {
        return new Frame(command, streamId, content);
    }

    @Override
    public Frame retain() {
        super.retain();
        return this;
    }

    @Override
    public Frame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public Frame touch() {
        super.touch();
        return this;
    }

    @Override
    public Frame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Frame)) {
            return false;
        }
        Frame other = (Frame) o;
        return command == other.command && streamId == other.streamId && content().equals(other.content());
    }

    @Override
    public int hashCode() {
        return 31 * (31 * command + streamId) + content().hashCode();
    }

    /** Describes the frame without its body: bodies may hold user data. */
    @Override
    public String toString() {
        return Command.name(command) + " sid=" + Integer.toUnsignedString(streamId) + " len=" + length();
    }
}
