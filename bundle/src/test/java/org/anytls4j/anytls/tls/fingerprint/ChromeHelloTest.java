package org.anytls4j.anytls.tls.fingerprint;

import org.anytls4j.testkit.BoundedWait;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import org.anytls4j.anytls.tls.ClientTlsOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The hello {@code fingerprint = chrome} sends, read off the wire by a listener in this JVM. */
class ChromeHelloTest {
    /** Chrome 133-149 (clienthello notes, SECURITY.md). */
    static final String CHROME_JA4 = "t13d1516h2_8daaf6152771_d8a2da3f94cd";
    private static final int X25519_MLKEM768 = 0x11ec;
    private static final int X25519 = 0x001d;

    private static EventLoopGroup group;

    @BeforeAll
    static void startGroup() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        BoundedWait.sync(group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS));
    }

    private static List<ParsedClientHello> capture(ClientTlsOptions options, int connections) throws Exception {
        FingerprintTls engine = FingerprintTls.create(options, HelloProfiles.CHROME);
        List<ParsedClientHello> hellos = new ArrayList<>();
        try (HelloCapture capture = new HelloCapture()) {
            for (int i = 0; i < connections; i++) {
                try (FingerprintClient client = FingerprintClient.connect(group, capture.port(), engine,
                        "127.0.0.1")) {
                    hellos.add(capture.next(FingerprintClient.WAIT_SECONDS));
                    client.handshakeFailure();
                }
            }
        }
        return hellos;
    }

    private static ClientTlsOptions withServerName() {
        return ClientTlsOptions.builder().serverName("www.example.com").insecure(true).build();
    }

    @Test
    void ja4IsChromes() throws Exception {
        ParsedClientHello hello = capture(withServerName(), 1).get(0);

        assertThat(Ja4.of(hello)).isEqualTo(CHROME_JA4);
        assertThat(hello.serverName()).isEqualTo("www.example.com");
        assertThat(hello.alpn()).containsExactly("h2", "http/1.1");
    }

    @Test
    void ja4ComputationMatchesThePublishedCipherHash() {
        // JA4's own worked example: the sorted suite list of Chrome hashes to 8daaf6152771.
        assertThat(Ja4.hash12("002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9"))
                .isEqualTo("8daaf6152771");
    }

    @Test
    void greaseInSuitesExtensionsGroupsVersionsAndKeyShares() throws Exception {
        ParsedClientHello hello = capture(withServerName(), 1).get(0);

        assertThat(ParsedClientHello.isGrease(hello.cipherSuites.get(0))).isTrue();
        assertThat(ParsedClientHello.isGrease(hello.extensionOrder.get(0))).isTrue();
        assertThat(hello.extension(hello.extensionOrder.get(0))).isEmpty();
        int last = hello.extensionOrder.get(hello.extensionOrder.size() - 1);
        assertThat(ParsedClientHello.isGrease(last)).isTrue();
        assertThat(hello.extension(last)).containsExactly(0);
        assertThat(hello.extensionOrder.get(0)).isNotEqualTo(last);
        assertThat(ParsedClientHello.isGrease(hello.supportedGroups().get(0))).isTrue();
        assertThat(ParsedClientHello.isGrease(hello.supportedVersions().get(0))).isTrue();
        Map.Entry<Integer, Integer> firstShare = hello.keyShares().entrySet().iterator().next();
        assertThat(ParsedClientHello.isGrease(firstShare.getKey())).isTrue();
        assertThat(firstShare.getValue()).isEqualTo(1);
        assertThat(firstShare.getKey()).isEqualTo(hello.supportedGroups().get(0));
    }

    @Test
    void x25519Mlkem768IsOfferedFirstWithX25519() throws Exception {
        ParsedClientHello hello = capture(withServerName(), 1).get(0);

        assertThat(hello.supportedGroups().subList(1, 5)).containsExactly(X25519_MLKEM768, X25519, 0x0017, 0x0018);
        List<Map.Entry<Integer, Integer>> shares = new ArrayList<>(hello.keyShares().entrySet());
        assertThat(shares).hasSize(3);
        assertThat(shares.get(1)).isEqualTo(Map.entry(X25519_MLKEM768, 1184 + 32));
        assertThat(shares.get(2)).isEqualTo(Map.entry(X25519, 32));
        assertThat(hello.supportedVersions().subList(1, 3)).containsExactly(0x0304, 0x0303);
    }

    @Test
    void recordAndHelloLookLikeChromes() throws Exception {
        ParsedClientHello hello = capture(withServerName(), 1).get(0);

        assertThat(hello.recordVersion).isEqualTo(0x0301);
        assertThat(hello.sessionId).hasSize(32);
        assertThat(hello.handshakeLength).isBetween(1700, 1900);
        assertThat(hello.signatureAlgorithms())
                .containsExactly(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601);
        assertThat(hello.extension(ExtensionTypes.APPLICATION_SETTINGS)).containsExactly(0, 3, 2, 'h', '2');
        assertThat(hello.extension(ExtensionTypes.ECH)[0]).isEqualTo((byte) 0);
        assertThat(hello.extension(ExtensionTypes.RENEGOTIATION_INFO)).containsExactly(0);
        assertThat(hello.cipherSuites).doesNotContain(0x00ff);
    }

    @Test
    void extensionOrderChangesBetweenConnectionsAndZeroLengthOnesAreNotPinnedFirst() throws Exception {
        List<ParsedClientHello> hellos = capture(withServerName(), 4);

        Set<List<Integer>> orders = new HashSet<>();
        Set<Integer> secondPositions = new HashSet<>();
        for (ParsedClientHello hello : hellos) {
            List<Integer> order = hello.extensionOrder.stream().filter(type -> !ParsedClientHello.isGrease(type))
                    .collect(Collectors.toList());
            orders.add(order);
            secondPositions.add(order.get(0));
            assertThat(Ja4.of(hello)).isEqualTo(CHROME_JA4);
        }
        assertThat(orders).hasSize(4);
        assertThat(secondPositions).hasSizeGreaterThan(1);
    }

    /** fingerprint = none keeps today's engines: the BoringSSL hello measured before this engine existed. */
    @Test
    void noneKeepsTheBoringSslHello() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(io.netty.handler.ssl.OpenSsl.isAvailable(), "needs tcnative");
        ClientTlsOptions options = ClientTlsOptions.builder().fingerprint("none").insecure(true)
                .provider(org.anytls4j.anytls.tls.TlsProvider.OPENSSL).build();
        io.netty.handler.ssl.SslContext context = org.anytls4j.anytls.tls.ClientSslContexts.create(options);
        try (HelloCapture capture = new HelloCapture()) {
            io.netty.channel.Channel channel = BoundedWait.sync(new io.netty.bootstrap.Bootstrap().group(group)
                    .channel(io.netty.channel.socket.nio.NioSocketChannel.class)
                    .handler(new io.netty.channel.ChannelInitializer<io.netty.channel.Channel>() {
                        @Override
                        protected void initChannel(io.netty.channel.Channel ch) {
                            ch.pipeline().addLast(org.anytls4j.anytls.tls.ClientSslContexts.newHandler(context,
                                    options, ch.alloc(), "127.0.0.1", capture.port()));
                        }
                    })
                    .connect("127.0.0.1", capture.port())).channel();
            try {
                ParsedClientHello hello = capture.next(FingerprintClient.WAIT_SECONDS);

                assertThat(Ja4.of(hello)).isEqualTo("t13i120900_0ed44715e6cd_78e6aca7449b");
                assertThat(hello.cipherSuites).noneMatch(ParsedClientHello::isGrease);
            } finally {
                BoundedWait.sync(channel.close());
            }
        }
    }

    @Test
    void withoutServerNameNoSniAndConfiguredAlpnWins() throws Exception {
        ClientTlsOptions options = ClientTlsOptions.builder().insecure(true).alpn(List.of("http/1.1")).build();

        ParsedClientHello hello = capture(options, 1).get(0);

        assertThat(hello.serverName()).isNull();
        assertThat(hello.alpn()).containsExactly("http/1.1");
        assertThat(Ja4.of(hello)).isEqualTo("t13i1515h1_8daaf6152771_d8a2da3f94cd");
    }
}
