package org.anytls4j.anytls.golden;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.session.AnyTlsStream;
import org.anytls4j.anytls.session.ServerAuthHandler;
import org.anytls4j.anytls.session.ServerEvents;
import org.anytls4j.anytls.session.ServerSessionHandler;
import org.anytls4j.anytls.session.ServerSessionOptions;
import org.anytls4j.anytls.session.ServerUsers;

/**
 * Our server engine in an {@link EmbeddedChannel}, as a TLS connection would carry it after the handshake:
 * {@link ServerAuthHandler} first, which installs the frame decoder and a {@link ServerSessionHandler} once the
 * client authenticated. Streams get a {@link ConnectAtOnceStreamHandler}. Time is frozen.
 */
final class ReplayServer implements AutoCloseable {
    static final String USER = "golden";
    static final String PASSWORD = "golden-pw";

    private final EmbeddedChannel channel;
    private final List<String> openedStreams = new ArrayList<>();
    private final List<String> reportedDestinations = new ArrayList<>();
    private final List<String> authenticationFailures = new ArrayList<>();

    ReplayServer(PaddingScheme scheme) {
        ServerSessionOptions options = ServerSessionOptions.builder("golden-replay",
                () -> new ConnectAtOnceStreamHandler(reportedDestinations))
            .paddingScheme(() -> scheme)
            .build();
        ServerEvents events = new ServerEvents() {
            @Override
            public void authenticationFailed(SocketAddress client, String why) {
                authenticationFailures.add(why);
            }

            @Override
            public void streamOpened(ServerSessionHandler session, AnyTlsStream stream) {
                openedStreams.add(Integer.toUnsignedString(stream.streamId()));
            }
        };
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new ServerAuthHandler(ServerUsers.single(USER, PASSWORD), Duration.ofSeconds(10),
            null, user -> new ServerSessionHandler("golden-session", user, options, events), events));
    }

    /** Delivers one decrypted client TLS record and runs whatever it scheduled. */
    void receive(byte[] record) {
        channel.writeInbound(Unpooled.wrappedBuffer(record));
        channel.runPendingTasks();
    }

    /** Every byte the server wrote since the last call. */
    byte[] written() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object message; (message = channel.readOutbound()) != null; ) {
            ByteBuf bytes = (ByteBuf) message;
            try {
                out.writeBytes(ByteBufUtil.getBytes(bytes));
            } finally {
                bytes.release();
            }
        }
        return out.toByteArray();
    }

    /** The frames the server wrote since the last call. */
    List<WireFrame> writtenFrames() {
        return WireFrame.decodeAll(written());
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /** Stream ids the session opened, in order. */
    List<String> openedStreams() {
        return openedStreams;
    }

    /** {@code "<sid> <host>:<port>"} of every stream the scripted target reported as connected. */
    List<String> reportedDestinations() {
        return reportedDestinations;
    }

    List<String> authenticationFailures() {
        return authenticationFailures;
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
