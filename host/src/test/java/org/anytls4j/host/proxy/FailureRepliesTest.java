package org.anytls4j.host.proxy;

import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicReference;
import org.anytls4j.host.testing.FailingTransport;
import org.anytls4j.host.testing.NioGroups;
import org.anytls4j.host.testing.RawClient;
import org.anytls4j.host.testing.Socks5;
import org.anytls4j.testkit.BoundedWait;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Each reason an open can fail with reaches the client as its SOCKS5 reply code and HTTP status, over the wire. */
class FailureRepliesTest {
    private static final InetSocketAddress TARGET = new InetSocketAddress("127.0.0.1", 9);
    private static EventLoopGroup group;
    private static ProxyServer proxy;
    private static final AtomicReference<NettyOutboundTransport> OUTBOUND = new AtomicReference<>();

    @BeforeAll
    static void start() {
        group = NioGroups.create("failure-test");
        proxy = ProxyServer.builder("failure-test", OUTBOUND::get)
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .eventLoopGroup(group)
                .build();
        BoundedWait.sync(proxy.start());
    }

    @AfterAll
    static void stop() {
        proxy.close();
        NioGroups.shutdown(group);
    }

    /** The table of the SPI design, §4.5, with TIMEOUT as 0x04 and NETWORK_UNSUPPORTED as 502 (see ReplyCodes). */
    private static int expectedSocks5(Reason reason) {
        switch (reason) {
            case DESTINATION_REFUSED:
                return 0x05;
            case DESTINATION_UNREACHABLE:
            case DESTINATION_DNS:
            case TIMEOUT:
                return 0x04;
            case NETWORK_UNSUPPORTED:
                return 0x07;
            case ADDRESS_UNSUPPORTED:
                return 0x08;
            default:
                return 0x01;
        }
    }

    private static int expectedHttp(Reason reason) {
        switch (reason) {
            case TIMEOUT:
                return 504;
            case ADDRESS_UNSUPPORTED:
                return 400;
            case RESOURCE_EXHAUSTED:
            case SHUTDOWN:
                return 503;
            default:
                return 502;
        }
    }

    @ParameterizedTest
    @EnumSource(value = Reason.class, mode = EnumSource.Mode.EXCLUDE, names = "CANCELLED")
    void socks5ConnectGetsTheReplyCodeOfTheReason(Reason reason) throws Exception {
        OUTBOUND.set(new FailingTransport(reason));
        try (RawClient client = new RawClient(proxy.localAddress())) {
            Socks5.greet(client, Socks5.NO_AUTH);
            assertThat(Socks5.command(client, Socks5.CONNECT, TARGET).code & 0xff).isEqualTo(expectedSocks5(reason));
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Reason.class, mode = EnumSource.Mode.EXCLUDE, names = "CANCELLED")
    void socks5UdpAssociateGetsTheReplyCodeOfTheReason(Reason reason) throws Exception {
        OUTBOUND.set(new FailingTransport(reason));
        try (RawClient client = new RawClient(proxy.localAddress())) {
            Socks5.greet(client, Socks5.NO_AUTH);
            Socks5.Reply reply = Socks5.command(client, Socks5.UDP_ASSOCIATE, new InetSocketAddress("0.0.0.0", 0));
            assertThat(reply.code & 0xff).isEqualTo(expectedSocks5(reason));
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Reason.class, mode = EnumSource.Mode.EXCLUDE, names = "CANCELLED")
    void httpConnectGetsTheStatusOfTheReason(Reason reason) throws Exception {
        OUTBOUND.set(new FailingTransport(reason));
        try (RawClient client = new RawClient(proxy.localAddress())) {
            String head = client.write("CONNECT 127.0.0.1:9 HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n").readHttpHead();
            assertThat(head).startsWith("HTTP/1.1 " + expectedHttp(reason) + " ");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Reason.class, names = "CANCELLED")
    void aCancelledOpenIsClosedWithoutAnswer(Reason reason) throws Exception {
        OUTBOUND.set(new FailingTransport(reason));
        try (RawClient client = new RawClient(proxy.localAddress())) {
            Socks5.greet(client, Socks5.NO_AUTH);
            client.write(new byte[] {5, 1, 0, 1, 127, 0, 0, 1, 0, 9});
            assertThat(client.closedByServer()).isTrue();
        }
        try (RawClient client = new RawClient(proxy.localAddress())) {
            client.write("CONNECT 127.0.0.1:9 HTTP/1.1\r\n\r\n");
            assertThat(client.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void everyReasonHasAMappingInBothProtocols(Reason reason) {
        boolean answered = reason != Reason.CANCELLED;
        assertThat(ReplyCodes.socks5(reason).isPresent()).isEqualTo(answered);
        assertThat(ReplyCodes.http(reason).isPresent()).isEqualTo(answered);
        if (answered) {
            assertThat(ReplyCodes.socks5(reason).get().byteValue() & 0xff).isEqualTo(expectedSocks5(reason));
            assertThat(ReplyCodes.http(reason).get().code()).isEqualTo(expectedHttp(reason));
        }
    }
}
