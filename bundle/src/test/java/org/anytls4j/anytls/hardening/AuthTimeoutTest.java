package org.anytls4j.anytls.hardening;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContext;
import org.anytls4j.anytls.session.ServerAuthHandler;
import org.anytls4j.anytls.session.ServerEvents;
import org.anytls4j.anytls.session.ServerSessionHandler;
import org.anytls4j.anytls.session.ServerSessionOptions;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.testkit.TestCertificates;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's authentication timeout, on a virtual clock: it cuts a client that authenticates too slowly, and it
 * counts from the end of the TLS handshake (which has its own timeout), not from the TCP accept, so a slow handshake
 * on a busy server does not eat the time an honest client has to authenticate.
 */
class AuthTimeoutTest {
    private static final Duration AUTH_TIMEOUT = Duration.ofMillis(500);

    private final List<String> failures = new ArrayList<>();
    private EmbeddedChannel channel;

    private ServerAuthHandler authHandler() {
        ServerSessionOptions options = ServerSessionOptions.builder("t", ChannelInboundHandlerAdapter::new).build();
        return new ServerAuthHandler(ServerUsers.single("u", "pw"), AUTH_TIMEOUT, null,
                user -> new ServerSessionHandler("s", user, options, ServerEvents.NONE),
                new ServerEvents() {
                    @Override
                    public void authenticationFailed(SocketAddress client, String why) {
                        failures.add(why);
                    }
                });
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aClientThatSendsNothingAfterTheHandshakeIsCutAtTheTimeout() {
        channel = new EmbeddedChannel();
        channel.freezeTime(); // only advanceTimeBy moves the clock, however slow the machine is
        channel.pipeline().addLast(authHandler());
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        channel.advanceTimeBy(AUTH_TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isFalse();
        assertThat(failures).containsExactly("no authentication within 500 ms");
    }

    @Test
    void theTimeoutDoesNotRunWhileTheTlsHandshakeIsStillGoingOn() throws Exception {
        SslContext tls = TestCertificates.serverContext();
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
        channel.pipeline().addLast("auth", authHandler());
        // No ClientHello yet: the handshake is pending, its own timeout (10 s by default) governs it.
        channel.advanceTimeBy(3 * AUTH_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.pipeline().get(ServerAuthHandler.class)).isNotNull();
        assertThat(failures).isEmpty();
    }
}
