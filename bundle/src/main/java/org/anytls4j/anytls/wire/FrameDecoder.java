package org.anytls4j.anytls.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Turns the decrypted AnyTLS byte stream (after the authentication block) into {@link Frame}s.
 *
 * <p>TLS record boundaries mean nothing here (spec §4.1): the client's padding cuts its stream at arbitrary
 * offsets, so frames are reassembled from whatever arrives. Every frame's {@code length} bytes are consumed
 * whatever the command — unknown commands, and data on SYN, FIN or heartbeats included — because skipping them
 * is what desynchronises the legacy Go implementations (§5.3). Deciding whether such a frame is acceptable is
 * left to the session layer, which receives it as an ordinary frame.
 *
 * <p>Bodies are retained slices of the cumulation buffer, not copies. A frame that is kept keeps the whole received
 * chunk alive, so a consumer that queues bodies for long (a slow stream reader) should copy small ones.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    /** PSH bodies at least this long are passed on in pieces when streaming; shorter ones are never cut. */
    static final int STREAMED_PSH_MIN_LENGTH = 4096;

    private final boolean streamPshBodies;
    /** Body bytes still to come of the PSH frame being passed on in pieces; 0 when none is. */
    private int pshBodyLeft;
    private int pshStreamId;

    /** Whole frames only. */
    public FrameDecoder() {
        this(false);
    }

    /**
     * @param streamPshBodies pass a long PSH body (at least {@value #STREAMED_PSH_MIN_LENGTH} bytes) on as PSH frames
     *                        of the pieces that arrived, instead of collecting it whole: a body longer than a TLS
     *                        record then needs no copy into the cumulation buffer. Only for a receiver to which PSH
     *                        bodies are plain stream bytes, cut anywhere (both session roles: the server reads a
     *                        stream's address from its bytes, whatever frames carried them).
     */
    public FrameDecoder(boolean streamPshBodies) {
        this.streamPshBodies = streamPshBodies;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (pshBodyLeft > 0) {
            int piece = Math.min(pshBodyLeft, in.readableBytes());
            pshBodyLeft -= piece;
            out.add(new Frame(Command.PSH, pshStreamId, in.readRetainedSlice(piece)));
            return;
        }
        if (streamPshBodies && startsLongIncompletePsh(in)) {
            in.skipBytes(1);
            pshStreamId = in.readInt();
            pshBodyLeft = in.readUnsignedShort();
            if (in.isReadable()) {
                int piece = Math.min(pshBodyLeft, in.readableBytes());
                pshBodyLeft -= piece;
                out.add(new Frame(Command.PSH, pshStreamId, in.readRetainedSlice(piece)));
            }
            return;
        }
        Frame frame = tryDecode(in);
        if (frame != null) {
            out.add(frame);
        }
    }

    private static boolean startsLongIncompletePsh(ByteBuf in) {
        if (in.readableBytes() < FrameHeader.SIZE) {
            return false;
        }
        int start = in.readerIndex();
        int length = in.getUnsignedShort(start + FrameHeader.LENGTH_OFFSET);
        return in.getUnsignedByte(start) == Command.PSH && length >= STREAMED_PSH_MIN_LENGTH
                && in.readableBytes() < FrameHeader.SIZE + length;
    }

    /**
     * Reads one frame from {@code in} if it holds a whole one.
     *
     * @return the frame (its body a retained slice of {@code in}, owned by the caller), or {@code null} with
     *     {@code in} untouched when the header or the body is not complete yet
     */
    public static Frame tryDecode(ByteBuf in) {
        if (in.readableBytes() < FrameHeader.SIZE) {
            return null;
        }
        int start = in.readerIndex();
        int length = in.getUnsignedShort(start + FrameHeader.LENGTH_OFFSET);
        if (in.readableBytes() < FrameHeader.SIZE + length) {
            return null;
        }
        int command = in.readUnsignedByte();
        int streamId = in.readInt();
        in.skipBytes(2);
        // An empty body need not pin the cumulation buffer.
        ByteBuf data = length == 0 ? Unpooled.EMPTY_BUFFER : in.readRetainedSlice(length);
        return new Frame(command, streamId, data);
    }
}
