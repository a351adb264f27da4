package org.anytls4j.anytls.server;

import org.anytls4j.testkit.RecordingLogger;
import org.anytls4j.common.log.RateLimitedLog;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ServerEventLogTest {
    private final List<String> lines = new ArrayList<>();
    private final List<Runnable> summaries = new ArrayList<>();
    private final AtomicLong now = new AtomicLong();
    private final ServerEventLog log = new ServerEventLog("embedded", new RateLimitedLog(new RecordingLogger(lines),
            System.Logger.Level.WARNING, ServerEventLog.BURST, ServerEventLog.WINDOW, now::get,
            (task, delay) -> summaries.add(task)));
    private final InetSocketAddress client = new InetSocketAddress("127.0.0.1", 50123);

    @Test
    void aRefusedAuthenticationNamesServerAndClientAddress() {
        log.authenticationFailed(client, "unknown password hash");
        log.fellBack(client);

        assertThat(lines).containsExactly(
                "AnyTLS server embedded: authentication failed from /127.0.0.1:50123: unknown password hash",
                "AnyTLS server embedded: connection from /127.0.0.1:50123 handed to the fallback");
    }

    @Test
    void aScanLeavesTheBurstAndASummary() {
        for (int i = 0; i < 1000; i++) {
            log.authenticationFailed(client, "unknown password hash");
        }
        now.addAndGet(ServerEventLog.WINDOW.plus(Duration.ofSeconds(1)).toNanos());
        summaries.forEach(Runnable::run);

        assertThat(lines).hasSize(ServerEventLog.BURST + 1);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("AnyTLS server embedded: suppressed "
                + (1000 - ServerEventLog.BURST) + " similar lines in the last 60 s");
    }
}
