package org.anytls4j.host.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.anytls4j.host.direct.DirectTransport;
import org.anytls4j.host.testing.NioGroups;
import org.anytls4j.host.testing.RawClient;
import org.anytls4j.host.testing.RecordingTransport;
import org.anytls4j.host.testing.Socks5;
import org.anytls4j.testkit.BoundedWait;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the application's connection ends, through SOCKS5 and HTTP CONNECT over the direct transport: an abnormal end
 * (the transport's stream failed, the destination reset its connection, the host shut down) is a TCP reset the
 * application reads as "Connection reset"; a clean end (the destination's FIN) is end of stream.
 */
class AbnormalEndTest {
    private static final byte[] PARTIAL = "first part of a download".getBytes(StandardCharsets.US_ASCII);
    private static EventLoopGroup group;
    private static DirectTransport direct;
    private RecordingTransport recording;
    private ProxyServer proxy;
    private ServerSocket destination;

    @BeforeAll
    static void startGroup() {
        group = NioGroups.create("abnormal-end-test");
        direct = DirectTransport.builder("direct", group).bindAddress(InetAddress.getLoopbackAddress()).build();
    }

    @AfterAll
    static void stopGroup() {
        direct.close();
        NioGroups.shutdown(group);
    }

    @BeforeEach
    void start() throws IOException {
        destination = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        destination.setSoTimeout(RawClient.TIMEOUT_MILLIS);
        recording = new RecordingTransport(direct);
        proxy = ProxyServer.builder("abnormal-end", () -> recording)
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .eventLoopGroup(group)
                .build();
        BoundedWait.sync(proxy.start());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        destination.close();
    }

    /** A SOCKS5 tunnel to the destination that has already carried {@link #PARTIAL} to the client. */
    private RawClient socksTunnel(Socket[] accepted) throws IOException {
        RawClient client = new RawClient(proxy.localAddress());
        Socks5.greet(client, Socks5.NO_AUTH);
        assertThat(Socks5.command(client, Socks5.CONNECT,
                (InetSocketAddress) destination.getLocalSocketAddress()).code).isZero();
        return download(client, accepted);
    }

    private RawClient httpTunnel(Socket[] accepted) throws IOException {
        RawClient client = new RawClient(proxy.localAddress());
        String target = "127.0.0.1:" + destination.getLocalPort();
        client.write("CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n\r\n");
        assertThat(client.readHttpHead()).startsWith("HTTP/1.1 200");
        return download(client, accepted);
    }

    private RawClient download(RawClient client, Socket[] accepted) throws IOException {
        accepted[0] = destination.accept();
        accepted[0].setSoTimeout(RawClient.TIMEOUT_MILLIS);
        OutputStream out = accepted[0].getOutputStream();
        out.write(PARTIAL);
        out.flush();
        assertThat(client.read(PARTIAL.length)).isEqualTo(PARTIAL);
        return client;
    }

    private static void failTheStream(Channel outbound) {
        outbound.eventLoop().execute(() -> outbound.pipeline().fireExceptionCaught(new TransportException(
                Reason.SESSION_LOST, Phase.DATA, "test", "the session carrying the stream was lost", null)));
    }

    private static void assertReset(RawClient client) {
        assertThatThrownBy(client::readToEnd).isInstanceOf(SocketException.class)
                .hasMessageContaining("Connection reset");
    }

    @Test
    void aStreamThatFailsMidDownloadResetsTheSocks5Client() throws Exception {
        Socket[] accepted = new Socket[1];
        try (RawClient client = socksTunnel(accepted); Socket far = accepted[0]) {
            failTheStream(recording.nextOpened());
            assertReset(client);
        }
    }

    @Test
    void aStreamThatFailsMidDownloadResetsTheHttpConnectClient() throws Exception {
        Socket[] accepted = new Socket[1];
        try (RawClient client = httpTunnel(accepted); Socket far = accepted[0]) {
            failTheStream(recording.nextOpened());
            assertReset(client);
        }
    }

    @Test
    void aDestinationThatResetsItsConnectionResetsTheClient() throws Exception {
        Socket[] accepted = new Socket[1];
        try (RawClient client = socksTunnel(accepted)) {
            accepted[0].setSoLinger(true, 0);
            accepted[0].close();
            assertReset(client);
        }
    }

    @Test
    void aDestinationThatEndsWithAFinEndsTheClientsStreamCleanly() throws Exception {
        Socket[] accepted = new Socket[1];
        try (RawClient client = socksTunnel(accepted); Socket far = accepted[0]) {
            far.getOutputStream().write("and the rest".getBytes(StandardCharsets.US_ASCII));
            far.shutdownOutput();
            assertThat(new String(client.readToEnd(), StandardCharsets.US_ASCII)).isEqualTo("and the rest");
            // Half-close: the client may still send, and the destination still receives.
            client.write("thanks".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(far.getInputStream().readNBytes(6), StandardCharsets.US_ASCII))
                    .isEqualTo("thanks");
        }
    }

    @Test
    void theHostShuttingDownResetsOpenConnections() throws Exception {
        Socket[] accepted = new Socket[1];
        try (RawClient client = socksTunnel(accepted); Socket far = accepted[0]) {
            proxy.close();
            assertReset(client);
        }
    }
}
