package org.anytls4j.transport.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenRequestTest {
    private static final Destination EXAMPLE = Destination.ofHost("example.com", 443);
    private static final Destination ANY = Destination.ofHostAnyPort("0.0.0.0", 0);

    @Test
    void tcpDefaults() {
        OpenRequest request = OpenRequest.tcp(EXAMPLE).build();

        assertThat(request.network()).isEqualTo(Network.TCP);
        assertThat(request.destination()).isEqualTo(EXAMPLE);
        assertThat(request.udpMode()).isEqualTo(UdpMode.CONNECTED);
        assertThat(request.openTimeout()).isEmpty();
        assertThat(request.context()).isSameAs(RequestContext.EMPTY);
        assertThat(request.earlyData()).isFalse();
    }

    @Test
    void earlyDataIsKeptByToBuilderAndTellsRequestsApart() {
        OpenRequest early = OpenRequest.tcp(EXAMPLE).earlyData(true).build();

        assertThat(early.earlyData()).isTrue();
        assertThat(early.toBuilder().build()).isEqualTo(early).hasSameHashCodeAs(early);
        assertThat(early).isNotEqualTo(OpenRequest.tcp(EXAMPLE).build());
        assertThat(early.toBuilder().earlyData(false).build()).isEqualTo(OpenRequest.tcp(EXAMPLE).build());
        assertThat(early.toString()).contains("early-data");
    }

    @Test
    void tcpRejectsPort0NamingTheDestination() {
        assertThatThrownBy(() -> OpenRequest.tcp(ANY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TCP")
                .hasMessageContaining("0.0.0.0:0");
    }

    @Test
    void connectedUdpRejectsPort0() {
        Destination noPort = Destination.ofHostAnyPort("dns.example", 0);

        assertThatThrownBy(() -> OpenRequest.udp(noPort, UdpMode.CONNECTED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connected UDP")
                .hasMessageContaining("dns.example:0");
    }

    @Test
    void udpAssociationAcceptsPort0() {
        OpenRequest request = OpenRequest.udp(ANY, UdpMode.ASSOCIATION).build();

        assertThat(request.network()).isEqualTo(Network.UDP);
        assertThat(request.udpMode()).isEqualTo(UdpMode.ASSOCIATION);
        assertThat(request.destination()).isEqualTo(ANY);
    }

    @Test
    void connectedUdpKeepsItsDestination() {
        Destination dns = Destination.ofHost("1.1.1.1", 53);

        OpenRequest request = OpenRequest.udp(dns, UdpMode.CONNECTED).build();

        assertThat(request.udpMode()).isEqualTo(UdpMode.CONNECTED);
        assertThat(request.destination()).isEqualTo(dns);
    }

    @Test
    void openTimeoutMustBePositive() {
        OpenRequest.Builder builder = OpenRequest.tcp(EXAMPLE);

        assertThatThrownBy(() -> builder.openTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openTimeout")
                .hasMessageContaining("PT0S");
        assertThatThrownBy(() -> builder.openTimeout(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PT-0.005S");
        assertThat(builder.openTimeout(Duration.ofNanos(1)).build().openTimeout()).contains(Duration.ofNanos(1));
    }

    @Test
    void allFieldsAreKept() {
        RequestContext context = RequestContext.builder("c-17").inbound("socks-main").build();

        OpenRequest request = OpenRequest.tcp(EXAMPLE).openTimeout(Duration.ofSeconds(10)).context(context).build();

        assertThat(request.openTimeout()).contains(Duration.ofSeconds(10));
        assertThat(request.context()).isEqualTo(context);
    }

    @Test
    void toBuilderDerivesAnIndependentRequest() {
        OpenRequest original = OpenRequest.tcp(EXAMPLE).openTimeout(Duration.ofSeconds(10))
                .context(RequestContext.builder("c-1").build()).build();

        OpenRequest derived = original.toBuilder().openTimeout(Duration.ofSeconds(3)).build();
        OpenRequest copy = original.toBuilder().build();
        OpenRequest withoutTimeout = original.toBuilder().noOpenTimeout().build();

        assertThat(copy).isEqualTo(original).hasSameHashCodeAs(original);
        assertThat(derived.openTimeout()).contains(Duration.ofSeconds(3));
        assertThat(derived).isNotEqualTo(original);
        assertThat(original.openTimeout()).contains(Duration.ofSeconds(10));
        assertThat(withoutTimeout.openTimeout()).isEmpty();
        assertThat(withoutTimeout.context()).isEqualTo(original.context());
    }

    @Test
    void builderDestinationFollowsThePortRuleOfTheRequest() {
        OpenRequest association = OpenRequest.udp(Destination.ofHost("1.2.3.4", 53), UdpMode.ASSOCIATION).build();

        assertThat(association.toBuilder().destination(ANY).build().destination()).isEqualTo(ANY);
        assertThatThrownBy(() -> OpenRequest.tcp(EXAMPLE).destination(ANY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.0.0.0:0");
    }

    @Test
    void builderIsNotSharedWithBuiltRequests() {
        OpenRequest.Builder builder = OpenRequest.tcp(EXAMPLE).openTimeout(Duration.ofSeconds(1));
        OpenRequest first = builder.build();

        builder.openTimeout(Duration.ofSeconds(2)).destination(Destination.ofHost("example.org", 80));

        assertThat(first.openTimeout()).contains(Duration.ofSeconds(1));
        assertThat(first.destination()).isEqualTo(EXAMPLE);
    }

    @Test
    void toStringShowsWhatALogNeeds() {
        RequestContext context = RequestContext.builder("c-9").inbound("socks-main").inboundProtocol("socks5")
                .source(new InetSocketAddress("127.0.0.1", 50000)).build();

        String tcp = OpenRequest.tcp(EXAMPLE).openTimeout(Duration.ofSeconds(10)).context(context).build().toString();
        String udp = OpenRequest.udp(ANY, UdpMode.ASSOCIATION).build().toString();

        assertThat(tcp).contains("tcp", "example.com:443", "10000ms", "c-9", "socks-main", "127.0.0.1:50000");
        assertThat(udp).contains("udp", "0.0.0.0:0", "association");
    }

    @Test
    void nullsAreRejected() {
        assertThatThrownBy(() -> OpenRequest.tcp(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("destination");
        assertThatThrownBy(() -> OpenRequest.udp(EXAMPLE, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("mode");
        assertThatThrownBy(() -> OpenRequest.tcp(EXAMPLE).context(null)).isInstanceOf(NullPointerException.class);
    }
}
