package org.anytls4j.anytls.golden;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.anytls4j.anytls.wire.Command;
import org.anytls4j.anytls.wire.Frame;
import org.anytls4j.anytls.wire.FrameDecoder;
import org.anytls4j.anytls.wire.Settings;

/**
 * A frame copied out of the wire bytes, so that replay assertions compare values and release nothing. Two frames
 * are equal when command, stream id and body are.
 */
final class WireFrame {
    static final int HEADER_LENGTH = 7;

    private final int command;
    private final int streamId;
    private final byte[] body;

    WireFrame(int command, int streamId, byte[] body) {
        this.command = command;
        this.streamId = streamId;
        this.body = body.clone();
    }

    /**
     * Every frame of {@code bytes}, which must hold whole frames only.
     *
     * @throws AssertionError naming the byte count when the bytes end inside a frame
     */
    static List<WireFrame> decodeAll(byte[] bytes) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        List<WireFrame> frames = new ArrayList<>();
        try {
            for (Frame frame; (frame = FrameDecoder.tryDecode(in)) != null; ) {
                try {
                    byte[] body = new byte[frame.length()];
                    frame.data().getBytes(frame.data().readerIndex(), body);
                    frames.add(new WireFrame(frame.command(), frame.streamId(), body));
                } finally {
                    frame.release();
                }
            }
            if (in.isReadable()) {
                throw new AssertionError(in.readableBytes() + " of " + bytes.length
                    + " bytes are not a whole frame: " + HexFormat.of().formatHex(bytes));
            }
            return frames;
        } finally {
            in.release();
        }
    }

    int command() {
        return command;
    }

    int streamId() {
        return streamId;
    }

    byte[] body() {
        return body.clone();
    }

    boolean isWaste() {
        return command == Command.WASTE;
    }

    /** Header plus body. */
    int wireLength() {
        return HEADER_LENGTH + body.length;
    }

    /** The whole frame as lowercase hex, header included: what byte-exact assertions compare. */
    String hex() {
        return String.format("%02x%08x%04x", command, streamId, body.length) + HexFormat.of().formatHex(body);
    }

    /**
     * Like {@link #hex()}, except that a Settings body becomes its key=value map without {@code client}: Go sends
     * the keys in random order, and our client reports its own name (a documented deviation).
     */
    String comparable() {
        if (command != Command.SETTINGS) {
            return Command.name(command) + " " + hex();
        }
        Map<String, String> settings = new TreeMap<>(Settings.parse(body));
        settings.remove(Settings.KEY_CLIENT);
        return "Settings sid=" + Integer.toUnsignedString(streamId) + " " + settings;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WireFrame frame && frame.command == command && frame.streamId == streamId
            && Arrays.equals(frame.body, body);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * command + streamId) + Arrays.hashCode(body);
    }

    /** For failure messages; the body is shown as text when it is printable. */
    @Override
    public String toString() {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        boolean printable = text.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\n' || c == '\r');
        return Command.name(command) + " sid=" + Integer.toUnsignedString(streamId) + " len=" + body.length
            + (body.length == 0 ? "" : printable ? " \"" + text.replace("\r", "\\r").replace("\n", "\\n") + "\""
            : " " + HexFormat.of().formatHex(body));
    }
}
