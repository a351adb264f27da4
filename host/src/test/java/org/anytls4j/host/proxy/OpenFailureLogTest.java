package org.anytls4j.host.proxy;

import org.anytls4j.testkit.RecordingLogger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.RequestContext;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.common.log.RateLimitedLog;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenFailureLogTest {
    private final List<String> lines = new ArrayList<>();
    private final OpenFailureLog log = new OpenFailureLog("demo", new RateLimitedLog(new RecordingLogger(lines), System.Logger.Level.INFO,
            OpenFailureLog.BURST, OpenFailureLog.WINDOW, () -> 0L, (task, delay) -> { }));
    private final OpenRequest request = OpenRequest.tcp(Destination.parse("127.0.0.1:9"))
            .context(RequestContext.builder("demo-7").build()).build();

    @Test
    void oneRefusedDestinationIsOneLineWithTransportDestinationReasonAndPhase() {
        log.failed("hk1", request, new TransportException(Reason.DESTINATION_REFUSED, Phase.REMOTE_CONNECT, "hk1",
                "connection refused", null));

        assertThat(lines).containsExactly("proxy 'demo': open of tcp 127.0.0.1:9 through transport 'hk1' failed: "
                + "DESTINATION_REFUSED in REMOTE_CONNECT (connection refused), client demo-7");
    }

    @Test
    void aBurstIsBoundedPerTransportAndCancellationsAreQuiet() {
        TransportException refused = new TransportException(Reason.DESTINATION_REFUSED, Phase.REMOTE_CONNECT, "hk1",
                null, null);
        for (int i = 0; i < 1000; i++) {
            log.failed("hk1", request, refused);
        }
        log.failed("hk1", request, new CancellationException());

        assertThat(lines).hasSize(OpenFailureLog.BURST);
    }
}
