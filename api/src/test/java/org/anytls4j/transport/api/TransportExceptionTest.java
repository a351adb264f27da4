package org.anytls4j.transport.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.util.EnumSet;
import java.util.Set;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class TransportExceptionTest {
    private static final Set<Phase> BEFORE_REMOTE =
            EnumSet.of(Phase.QUEUE, Phase.CARRIER_CONNECT, Phase.CARRIER_HANDSHAKE, Phase.STREAM_OPEN);

    @Test
    void isAnIOExceptionCarryingItsFields() {
        ConnectException cause = new ConnectException("Connection refused");

        TransportException e = new TransportException(Reason.UPSTREAM_UNREACHABLE, Phase.CARRIER_CONNECT, "hk1",
                "cannot reach hk1.example.net:443", cause);

        assertThat(e).isInstanceOf(IOException.class).hasCause(cause);
        assertThat(e.reason()).isEqualTo(Reason.UPSTREAM_UNREACHABLE);
        assertThat(e.phase()).isEqualTo(Phase.CARRIER_CONNECT);
        assertThat(e.transportName()).isEqualTo("hk1");
        assertThat(e.detail()).isEqualTo("cannot reach hk1.example.net:443");
        assertThat(e.remoteMessage()).isEmpty();
    }

    @Test
    void messageNamesReasonPhaseAndTransport() {
        TransportException e = new TransportException(Reason.UPSTREAM_TLS, Phase.CARRIER_HANDSHAKE, "hk1",
                "certificate expired", null);

        assertThat(e.getMessage()).contains("UPSTREAM_TLS", "CARRIER_HANDSHAKE", "'hk1'", "certificate expired");
    }

    @Test
    void messageWithoutDetailStillNamesTheFailure() {
        TransportException e = new TransportException(Reason.SHUTDOWN, Phase.QUEUE, "direct", null, null);

        assertThat(e.getMessage()).isEqualTo("SHUTDOWN in QUEUE on transport 'direct'");
        assertThat(e.detail()).isEmpty();
    }

    @Test
    void requiredFieldsAreRequired() {
        assertThatThrownBy(() -> new TransportException(null, Phase.DATA, "t", "m", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("reason");
        assertThatThrownBy(() -> new TransportException(Reason.INTERNAL, null, "t", "m", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("phase");
        assertThatThrownBy(() -> new TransportException(Reason.INTERNAL, Phase.DATA, null, "m", null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("transportName");
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void retryableBeforeTheRequestLeftTheCarrierUnlessCancelled(Reason reason) {
        for (Phase phase : BEFORE_REMOTE) {
            TransportException e = new TransportException(reason, phase, "t", null, null);

            assertThat(e.retryable()).as("%s in %s", reason, phase).isEqualTo(reason != Reason.CANCELLED);
        }
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void neverRetryableInData(Reason reason) {
        assertThat(new TransportException(reason, Phase.DATA, "t", null, null).retryable()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Reason.class)
    void inRemoteConnectOnlyUnservedRequestsAreRetryable(Reason reason) {
        boolean expected = reason == Reason.SHUTDOWN || reason == Reason.RESOURCE_EXHAUSTED;

        assertThat(new TransportException(reason, Phase.REMOTE_CONNECT, "t", null, null).retryable())
                .isEqualTo(expected);
    }

    @Test
    void builderSetsRemoteMessage() {
        IOException cause = new IOException("stream reset");

        TransportException e = TransportException.builder(Reason.DESTINATION_REFUSED, Phase.REMOTE_CONNECT, "hk1")
                .message("SYNACK reported an error")
                .remoteMessage("dial tcp 10.0.0.1:22: connect: connection refused")
                .cause(cause)
                .build();

        assertThat(e.remoteMessage()).contains("dial tcp 10.0.0.1:22: connect: connection refused");
        assertThat(e.getMessage()).contains("DESTINATION_REFUSED", "SYNACK reported an error",
                "remote: dial tcp 10.0.0.1:22: connect: connection refused");
        assertThat(e).hasCause(cause);
    }

    @Test
    void remoteErrorMapsTheTextAndKeepsItVerbatim() {
        String text = "dial tcp: lookup nowhere.invalid: no such host";

        TransportException e = TransportException.remoteError("hk1", text);

        assertThat(e.reason()).isEqualTo(Reason.DESTINATION_DNS);
        assertThat(e.phase()).isEqualTo(Phase.REMOTE_CONNECT);
        assertThat(e.remoteMessage()).contains(text);
        assertThat(e.transportName()).isEqualTo("hk1");
        assertThat(e.retryable()).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "dial tcp 10.0.0.1:22: connect: connection refused | DESTINATION_REFUSED",
        "dial tcp 127.0.0.1:9: connectex: No connection could be made... Connection Refused | DESTINATION_REFUSED",
        "dial tcp: lookup nowhere.invalid on 127.0.0.53:53: no such host | DESTINATION_DNS",
        "dial tcp 203.0.113.1:443: i/o timeout | TIMEOUT",
        "dial tcp 203.0.113.1:443: connect: connection timed out | TIMEOUT",
        "dial tcp: lookup example.com: i/o timeout | TIMEOUT",
        "dial tcp: lookup example.com on 8.8.8.8:53: server misbehaving | DESTINATION_DNS",
        "dial tcp 10.9.9.9:80: connect: network is unreachable | DESTINATION_UNREACHABLE",
        "dial tcp 10.9.9.9:80: connect: no route to host | DESTINATION_UNREACHABLE",
        "something nobody expected | DESTINATION_UNREACHABLE",
        "'' | DESTINATION_UNREACHABLE",
    })
    void fromRemoteErrorMapsGoNetErrors(String text, Reason expected) {
        assertThat(TransportException.fromRemoteError(text)).isEqualTo(expected);
    }

    @Test
    void fromRemoteErrorOfNullIsUnreachable() {
        assertThat(TransportException.fromRemoteError(null)).isEqualTo(Reason.DESTINATION_UNREACHABLE);
    }

    @Test
    void phasesAreOrderedAsAnOpenProceeds() {
        assertThat(Phase.values()).containsExactly(Phase.QUEUE, Phase.CARRIER_CONNECT, Phase.CARRIER_HANDSHAKE,
                Phase.STREAM_OPEN, Phase.REMOTE_CONNECT, Phase.DATA);
    }
}
