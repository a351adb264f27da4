package org.anytls4j.transport.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NetworkAndCapabilityTest {

    @ParameterizedTest
    @EnumSource(Network.class)
    void networkWireNamesRoundTrip(Network network) {
        assertThat(Network.fromWireName(network.wireName())).isSameAs(network);
        assertThat(Network.fromWireName(" " + network.wireName().toUpperCase() + " ")).isSameAs(network);
    }

    @Test
    void networkWireNamesAreTheServicePropertyValues() {
        assertThat(Arrays.stream(Network.values()).map(Network::wireName)).containsExactly("tcp", "udp");
    }

    @Test
    void unknownNetworkIsNamed() {
        assertThatThrownBy(() -> Network.fromWireName("sctp"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'sctp'")
                .hasMessageContaining("tcp, udp");
    }

    @ParameterizedTest
    @EnumSource(Capability.class)
    void capabilityWireNamesRoundTrip(Capability capability) {
        assertThat(Capability.fromWireName(capability.wireName())).isSameAs(capability);
        assertThat(capability.wireName()).isEqualTo(capability.name().toLowerCase().replace('_', '-'));
    }

    @Test
    void unknownCapabilityIsNamed() {
        assertThatThrownBy(() -> Capability.fromWireName("teleport"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'teleport'")
                .hasMessageContaining("half-close");
    }
}
