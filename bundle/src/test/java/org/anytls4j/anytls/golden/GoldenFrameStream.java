package org.anytls4j.anytls.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.anytls4j.anytls.golden.GoldenConversation.Direction;
import org.anytls4j.anytls.golden.GoldenConversation.Record;
import org.anytls4j.anytls.golden.GoldenConversation.Session;
import org.anytls4j.anytls.wire.AuthBlock;
import org.anytls4j.anytls.wire.Frame;
import org.anytls4j.anytls.wire.FrameDecoder;

/**
 * One direction of a golden session run through the wire codec the way a peer receives it: record by record into
 * a {@link FrameDecoder}, the client's auth block first taken off with {@link AuthBlock#parse}.
 */
final class GoldenFrameStream {

    /** A decoded frame (body copied out, so nothing needs releasing) and where it starts. */
    record DecodedFrame(int command, int streamId, byte[] body, int start, int recordIndex) {
    }

    private final List<DecodedFrame> frames;
    private final byte[] authBlock;
    private final int totalBytes;

    private GoldenFrameStream(List<DecodedFrame> frames, byte[] authBlock, int totalBytes) {
        this.frames = List.copyOf(frames);
        this.authBlock = authBlock;
        this.totalBytes = totalBytes;
    }

    /**
     * Decodes one direction and asserts that every byte belongs to the auth block or a complete frame: the
     * captures end between frames, as verify.py requires.
     */
    static GoldenFrameStream decode(Session session, Direction direction) {
        List<Record> records = session.records(direction);
        int[] recordStarts = new int[records.size()];
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoder());
        List<Frame> received = new ArrayList<>();
        ByteBuf pendingAuth = direction == Direction.CLIENT ? Unpooled.buffer() : null;
        byte[] authBlock = null;
        int offset = 0;
        try {
            for (int i = 0; i < records.size(); i++) {
                recordStarts[i] = offset;
                byte[] plaintext = records.get(i).plaintext();
                offset += plaintext.length;
                if (pendingAuth == null) {
                    channel.writeInbound(Unpooled.wrappedBuffer(plaintext));
                } else {
                    pendingAuth.writeBytes(plaintext);
                    AuthBlock.Parse auth = AuthBlock.parse(pendingAuth);
                    if (auth.isComplete()) {
                        authBlock = ByteBufUtil.getBytes(pendingAuth, pendingAuth.readerIndex(), auth.totalLength());
                        pendingAuth.skipBytes(auth.totalLength());
                        ByteBuf rest = pendingAuth;
                        pendingAuth = null;
                        channel.writeInbound(rest);
                    }
                }
                for (Object message; (message = channel.readInbound()) != null; ) {
                    received.add((Frame) message);
                }
            }
            assertThat(pendingAuth == null || records.isEmpty()).as("auth block complete").isTrue();
            channel.pipeline().remove(FrameDecoder.class);
            Object leftover = channel.readInbound();
            if (leftover != null) {
                ByteBuf bytes = (ByteBuf) leftover;
                int left = bytes.readableBytes();
                bytes.release();
                throw new AssertionError(session + " " + direction + ": " + left + " bytes after the last frame");
            }
            return new GoldenFrameStream(located(received, authBlock == null ? 0 : authBlock.length, recordStarts),
                authBlock, offset);
        } finally {
            received.forEach(Frame::release);
            if (pendingAuth != null) {
                pendingAuth.release();
            }
            channel.finishAndReleaseAll();
        }
    }

    private static List<DecodedFrame> located(List<Frame> received, int firstFrameStart, int[] recordStarts) {
        List<DecodedFrame> frames = new ArrayList<>();
        int start = firstFrameStart;
        for (Frame frame : received) {
            int record = 0;
            while (record + 1 < recordStarts.length && recordStarts[record + 1] <= start) {
                record++;
            }
            frames.add(new DecodedFrame(frame.command(), frame.streamId(), ByteBufUtil.getBytes(frame.data()), start,
                record));
            start += 7 + frame.length();
        }
        return frames;
    }

    List<DecodedFrame> frames() {
        return frames;
    }

    /** The client's auth block, or {@code null} for the server direction (or a client that sent nothing). */
    byte[] authBlock() {
        return authBlock == null ? null : authBlock.clone();
    }

    /** Bytes of the auth block plus every frame: must equal {@link #totalBytes()}. */
    int accountedBytes() {
        int accounted = authBlock == null ? 0 : authBlock.length;
        for (DecodedFrame frame : frames) {
            accounted += 7 + frame.body().length;
        }
        return accounted;
    }

    int totalBytes() {
        return totalBytes;
    }
}
