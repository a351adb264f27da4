package org.anytls4j.transport.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestContextTest {

    @Test
    void builderKeepsEveryField() {
        InetSocketAddress client = new InetSocketAddress("127.0.0.1", 40000);

        RequestContext context = RequestContext.builder("c-42").inbound("socks-main").inboundProtocol("socks5")
                .source(client).user("alice").isolationKey("tenant-a").label("rule", "geo-hk").build();

        assertThat(context.connectionId()).isEqualTo("c-42");
        assertThat(context.inbound()).isEqualTo("socks-main");
        assertThat(context.inboundProtocol()).isEqualTo("socks5");
        assertThat(context.source()).contains(client);
        assertThat(context.user()).contains("alice");
        assertThat(context.isolationKey()).contains("tenant-a");
        assertThat(context.labels()).containsExactly(Map.entry("rule", "geo-hk"));
    }

    @Test
    void anonymousHasNoClient() {
        RequestContext anonymous = RequestContext.anonymous();

        assertThat(anonymous).isSameAs(RequestContext.EMPTY);
        assertThat(anonymous.source()).isEmpty();
        assertThat(anonymous.user()).isEmpty();
        assertThat(anonymous.isolationKey()).isEmpty();
        assertThat(anonymous.labels()).isEmpty();
        assertThat(anonymous.inbound()).isEmpty();
    }

    @Test
    void blankConnectionIdIsRejected() {
        assertThatThrownBy(() -> RequestContext.builder("  "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connectionId")
                .hasMessageContaining("'  '");
    }

    @Test
    void labelsAreBounded() {
        RequestContext.Builder builder = RequestContext.builder("c");
        for (int i = 0; i < RequestContext.MAX_LABELS; i++) {
            builder.label("k" + i, "v");
        }

        builder.label("k0", "replaced");

        assertThatThrownBy(() -> builder.label("one-too-many", "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one-too-many")
                .hasMessageContaining("32");
        assertThat(builder.build().labels()).hasSize(32).containsEntry("k0", "replaced");
    }

    @Test
    void labelKeysAndValuesAreChecked() {
        RequestContext.Builder builder = RequestContext.builder("c");
        String longValue = "v".repeat(RequestContext.MAX_LABEL_LENGTH + 1);

        assertThatThrownBy(() -> builder.label(" ", "v"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Label key");
        assertThatThrownBy(() -> builder.label("route", longValue))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("route")
                .hasMessageContaining("257");
        assertThatThrownBy(() -> builder.label("route", null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("route");
    }

    @Test
    void labelsAreCopiedAndUnmodifiable() {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("b", "2");
        source.put("a", "1");

        RequestContext context = RequestContext.builder("c").labels(source).build();
        source.put("c", "3");

        assertThat(context.labels()).containsExactly(Map.entry("b", "2"), Map.entry("a", "1"));
        assertThatThrownBy(() -> context.labels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toBuilderRoundTripsAndDiverges() {
        RequestContext original = RequestContext.builder("c").user("bob").label("k", "v").build();

        RequestContext changed = original.toBuilder().label("k2", "v2").build();

        assertThat(original.toBuilder().build()).isEqualTo(original).hasSameHashCodeAs(original);
        assertThat(changed.labels()).hasSize(2);
        assertThat(original.labels()).hasSize(1);
        assertThat(changed).isNotEqualTo(original);
    }

    @Test
    void toStringNamesTheConnection() {
        RequestContext context = RequestContext.builder("c-7").user("carol")
                .source(InetSocketAddress.createUnresolved("client.example", 1234)).build();

        assertThat(context.toString()).contains("c-7", "carol", "client.example:1234");
    }
}
