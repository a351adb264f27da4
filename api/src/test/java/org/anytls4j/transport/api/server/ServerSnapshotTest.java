package org.anytls4j.transport.api.server;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerSnapshotTest {
    @Test
    void keepsUsersSortedAndListeningOptional() {
        ServerSnapshot snapshot = ServerSnapshot.builder("embedded", "anytls", "127.0.0.1:8443", Instant.EPOCH)
                .users(List.of(UserActivity.of("zoe", 0, 1, 10, 20), UserActivity.of("demo", 1, 2, 3, 4)))
                .build();

        assertThat(snapshot.users()).extracting(UserActivity::user).containsExactly("demo", "zoe");
        assertThat(snapshot.listening()).isEmpty();
    }

    @Test
    void rejectsNegativeCountersByName() {
        assertThatThrownBy(() -> ServerSnapshot.builder("s", "anytls", "h:1", Instant.EPOCH).fallbacks(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fallbacks");
        assertThatThrownBy(() -> UserActivity.of("u", 0, -2, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sessionsTotal");
    }

    @Test
    void equalSnapshotsAreEqual() {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 8443);
        ServerSnapshot a = ServerSnapshot.builder("s", "anytls", "h:1", Instant.EPOCH).listening(address)
                .sessionsActive(1).build();
        ServerSnapshot b = ServerSnapshot.builder("s", "anytls", "h:1", Instant.EPOCH).listening(address)
                .sessionsActive(1).build();
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.listening()).contains(address);
    }
}
