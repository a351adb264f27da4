package org.anytls4j.management.jmx;

import org.anytls4j.management.model.FakeTransport;
import org.anytls4j.management.model.ServerViews;
import org.anytls4j.management.model.TransportEntry;
import org.anytls4j.management.model.TransportViews;
import org.anytls4j.transport.api.server.ServerSnapshot;
import org.anytls4j.transport.api.server.ServerView;
import org.anytls4j.transport.api.server.UserActivity;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.management.DynamicMBean;
import javax.management.openmbean.TabularData;

import static org.assertj.core.api.Assertions.assertThat;

class ManagementBeansTest {
    private final FakeTransport transport = new FakeTransport();

    @Test
    void transportAttributesEqualWhatTheInfoCommandShows() throws Exception {
        DynamicMBean mbean = Publisher.mxBean(new TransportManagement(transport), TransportMXBean.class);
        Map<String, String> info = TransportViews.info(new TransportEntry(transport, Map.of()), Instant.now());

        assertThat(mbean.getAttribute("OpensSucceeded").toString()).isEqualTo(info.get("Opens succeeded"));
        assertThat(mbean.getAttribute("BytesIn").toString()).isEqualTo(info.get("Bytes in"));
        assertThat(mbean.getAttribute("SessionsIdle").toString()).isEqualTo(info.get("Sessions idle"));
        assertThat(mbean.getAttribute("Health")).isEqualTo(info.get("Health"));
        assertThat(mbean.getAttribute("FailuresByReason")).isInstanceOf(TabularData.class);
        String[] lines = (String[]) mbean.invoke("test", new Object[] {"127.0.0.1:80", 2},
                new String[] {String.class.getName(), int.class.getName()});
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).startsWith("2 of 2 opens to 127.0.0.1:80");
    }

    @Test
    void serverAttributesEqualWhatTheServerCommandsShow() throws Exception {
        ServerSnapshot snapshot = ServerSnapshot.builder("embedded", "anytls", "127.0.0.1:8443", Instant.EPOCH)
                .listening(new InetSocketAddress("127.0.0.1", 8443)).sessionsActive(1).sessionsTotal(4)
                .authenticationFailures(2).users(List.of(UserActivity.of("demo", 1, 4, 10, 20))).build();
        ServerView view = new ServerView() {
            @Override
            public String name() {
                return "embedded";
            }

            @Override
            public String type() {
                return "anytls";
            }

            @Override
            public ServerSnapshot snapshot() {
                return snapshot;
            }
        };
        DynamicMBean mbean = Publisher.mxBean(new ServerManagement(view), ServerMXBean.class);
        Map<String, String> info = ServerViews.info(snapshot, Instant.now());

        assertThat(mbean.getAttribute("ListeningOn")).isEqualTo(info.get("Listening on")).isEqualTo("127.0.0.1:8443");
        assertThat(mbean.getAttribute("SessionsTotal").toString()).isEqualTo(info.get("Sessions total"));
        assertThat(mbean.getAttribute("AuthenticationFailures").toString())
                .isEqualTo(info.get("Authentication failures"));
        assertThat(((TabularData) mbean.getAttribute("UserSessionsTotal")).size()).isEqualTo(1);
        assertThat(ServerViews.list(List.of(view)).rows().get(0))
                .containsExactly("embedded", "127.0.0.1:8443", "1 / 4", "0 / 0", "demo 1/4", "2", "0");
    }

    @Test
    void objectNamesFollowTheIssue() {
        assertThat(ObjectNames.transport("hk1")).isEqualTo("org.anytls4j:type=transport,name=hk1");
        assertThat(ObjectNames.server("embedded")).isEqualTo("org.anytls4j:type=server,name=embedded");
        assertThat(ObjectNames.server("a,b")).isEqualTo("org.anytls4j:type=server,name=\"a,b\"");
    }
}
