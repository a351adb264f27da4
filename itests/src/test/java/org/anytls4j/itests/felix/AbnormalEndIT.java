package org.anytls4j.itests.felix;

import org.anytls4j.itests.support.AnyTlsFelix;
import org.anytls4j.itests.support.ClientConfig;
import org.anytls4j.itests.support.DownloadServer;
import org.anytls4j.itests.support.HostConfig;
import org.anytls4j.itests.support.LoopbackAnyTlsServer;
import org.anytls4j.itests.support.Socks5Connection;
import org.anytls4j.itests.support.SwitchableRelay;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;

import static org.anytls4j.itests.support.AnyTlsFelix.CLIENT_PID;
import static org.anytls4j.itests.support.AnyTlsFelix.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A download through the reference host and the AnyTLS client in a real framework, whose AnyTLS server vanishes
 * mid-way (its TCP connections reset, no FIN): the SOCKS5 application sees "Connection reset", never an end of
 * stream that would pass a truncated file for a whole one. A download that completes still ends with a clean close.
 */
class AbnormalEndIT extends FelixIT {
    private static final String PASSWORD = "abnormal end password";
    /** Far more than every buffer on the path holds, so the download is still running when the server vanishes. */
    private static final long LARGE = 1L << 30;
    private static final int COMPLETE = 4 * 1024 * 1024;
    private static LoopbackAnyTlsServer server;
    private static SwitchableRelay relay;
    private static DownloadServer large;
    private static DownloadServer small;
    private InetSocketAddress socks;

    @BeforeAll
    static void startServerAndDownloads() throws Exception {
        server = peers.anyTlsServer("vanishing", PASSWORD);
        relay = new SwitchableRelay(server.address(), 0);
        large = new DownloadServer(LARGE);
        small = new DownloadServer(COMPLETE);
    }

    @AfterAll
    static void stopServerAndDownloads() throws Exception {
        relay.close();
        large.close();
        small.close();
    }

    @Override
    protected AnyTlsFelix launch(String name) throws Exception {
        return AnyTlsFelix.launchWithHost(name);
    }

    @BeforeEach
    void hostThroughTheRelay() throws Exception {
        felix.configure(CLIENT_PID, "via-relay", ClientConfig.of("via-relay", relay.hostPort(), PASSWORD,
                peers.pki()).toDictionary());
        felix.awaitTransport("via-relay");
        var listening = HostConfig.bound(log, "socks");
        felix.configure(HostConfig.PID, "socks", HostConfig.via("socks", "via-relay").toDictionary());
        socks = listening.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void aServerThatVanishesMidDownloadResetsTheSocks5Client() throws Exception {
        try (Socks5Connection download = Socks5Connection.open(socks, large.address(), TIMEOUT)) {
            assertThat(download.reply()).isEqualTo(Socks5Connection.SUCCEEDED);
            byte[] start = download.read(1024 * 1024);
            assertThat(start[start.length - 1]).isEqualTo(DownloadServer.byteAt(start.length - 1));

            relay.cut();

            assertThatThrownBy(download::readToEnd).isInstanceOf(SocketException.class)
                    .hasMessageContaining("Connection reset");
        }
    }

    @Test
    void aDownloadThatCompletesEndsWithACleanClose() throws Exception {
        try (Socks5Connection download = Socks5Connection.open(socks, small.address(), TIMEOUT)) {
            assertThat(download.reply()).isEqualTo(Socks5Connection.SUCCEEDED);
            assertThat(download.readToEnd()).isEqualTo(COMPLETE);
        }
    }
}
