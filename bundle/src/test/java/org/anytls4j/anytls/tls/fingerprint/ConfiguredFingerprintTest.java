package org.anytls4j.anytls.tls.fingerprint;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.client.ClientTransportFactory;
import org.anytls4j.anytls.config.ClientSettings;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * From configuration to the wire: a client transport built from properties with {@code fingerprint = chrome} sends
 * Chrome's hello on its carrier, one with {@code fingerprint = none} does not.
 */
class ConfiguredFingerprintTest {
    private static IoRuntime io;

    @BeforeAll
    static void start() {
        io = IoRuntime.create(IoRuntime.Kind.NIO, 1, "fp-config-io");
    }

    @AfterAll
    static void stop() {
        io.close();
    }

    /** The hello of the first carrier a transport configured with {@code fingerprint} sends. */
    private static ParsedClientHello helloOf(String fingerprint) throws Exception {
        try (HelloCapture capture = new HelloCapture()) {
            ClientSettings settings = ClientSettings.from(Map.of(
                    "transport.name", "fp-" + fingerprint,
                    "server", "127.0.0.1:" + capture.port(),
                    ".password", "pw",
                    "sni", "www.example.com",
                    "insecure", true,
                    "tlsProvider", "jdk",
                    "fingerprint", fingerprint));
            AnyTlsClientTransport transport = ClientTransportFactory.create(settings, io);
            try {
                Future<Channel> open = transport.open(OpenRequest.tcp(Destination.of(
                        new InetSocketAddress("127.0.0.1", 9))).build(), new ChannelInboundHandlerAdapter(), null);
                ParsedClientHello hello = capture.next(FingerprintClient.WAIT_SECONDS);
                // The capture hangs up after the hello: the open fails, which is not what is measured here.
                assertThat(open.await(FingerprintClient.WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();
                assertThat(open.isSuccess()).isFalse();
                return hello;
            } finally {
                transport.close();
            }
        }
    }

    @Test
    void chromeSendsChromesHello() throws Exception {
        assertThat(Ja4.of(helloOf("chrome"))).isEqualTo(ChromeHelloTest.CHROME_JA4);
    }

    @Test
    void noneSendsTheProvidersHello() throws Exception {
        ParsedClientHello hello = helloOf("none");

        assertThat(Ja4.of(hello)).isNotEqualTo(ChromeHelloTest.CHROME_JA4);
        assertThat(hello.cipherSuites).noneMatch(ParsedClientHello::isGrease);
    }
}
