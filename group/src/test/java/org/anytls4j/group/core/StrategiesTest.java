package org.anytls4j.group.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** url-test, load-balance and select, on manual time. */
class StrategiesTest extends GroupFixture {

    @Test
    void urlTestPrefersTheFasterMemberAndDoesNotFlapWithinTolerance() {
        FakeMember a = member("a").up(Duration.ofMillis(100));
        FakeMember b = member("b").up(Duration.ofMillis(30));
        GroupTransport group = group(s -> probing(s).strategy(StrategyKind.URL_TEST)
                .tolerance(Duration.ofMillis(50)), a, b);

        time.advance(Duration.ofMillis(100)); // the first round, at once for an eager group
        assertThat(group.current()).contains("b");
        Future<Channel> open = open(group, "site.test");
        time.advance(Duration.ofMillis(30));
        assertThat(memberOf(open)).isEqualTo("b");

        a.up(Duration.ofMillis(10)); // faster, but by less than the tolerance
        time.advance(Duration.ofSeconds(10).plusMillis(100));
        assertThat(group.members().get(0).lastProbe().orElseThrow().latencyMillis()).hasValue(10);
        assertThat(group.current()).contains("b");

        b.up(Duration.ofMillis(200)); // now a is faster by 190 ms
        time.advance(Duration.ofSeconds(10).plusMillis(200));
        assertThat(group.current()).contains("a");
    }

    @Test
    void urlTestLeavesItsMemberAtOnceWhenItFails() {
        FakeMember a = member("a").up(Duration.ofMillis(100));
        FakeMember b = member("b").up(Duration.ofMillis(30));
        GroupTransport group = group(s -> probing(s).strategy(StrategyKind.URL_TEST), a, b);
        time.advance(Duration.ofMillis(100));
        b.down(org.anytls4j.transport.api.TransportException.Reason.UPSTREAM_UNREACHABLE,
                org.anytls4j.transport.api.TransportException.Phase.CARRIER_CONNECT);
        Future<Channel> open = open(group, "site.test");
        time.advance(Duration.ofMillis(100));
        assertThat(memberOf(open)).isEqualTo("a");
        assertThat(group.current()).contains("a");
    }

    @Test
    void consistentHashingKeepsADestinationOnOneMemberWhileMembersAreStable() {
        FakeMember a = member("a");
        FakeMember b = member("b");
        FakeMember c = member("c");
        GroupTransport group = group(s -> s.strategy(StrategyKind.LOAD_BALANCE), a, b, c);
        Map<String, String> firstChoice = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            String host = "site" + i + ".test";
            for (int round = 0; round < 4; round++) {
                String member = memberOf(open(group, host));
                assertThat(firstChoice.putIfAbsent(host, member)).isIn(null, member);
            }
        }
        assertThat(new HashSet<>(firstChoice.values())).hasSize(3);

        group.removeMember(c); // only the sites c served move
        firstChoice.forEach((host, member) -> {
            if (!member.equals("c")) {
                assertThat(memberOf(open(group, host))).isEqualTo(member);
            }
        });
    }

    @Test
    void roundRobinTakesEachUsableMemberInTurn() {
        FakeMember a = member("a");
        FakeMember b = member("b");
        FakeMember c = member("c");
        GroupTransport group = group(s -> s.strategy(StrategyKind.LOAD_BALANCE)
                .loadBalancing(LoadBalancing.ROUND_ROBIN), a, b, c);
        List<String> used = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            used.add(memberOf(open(group, "same.test")));
        }
        assertThat(used).containsExactly("a", "b", "c", "a", "b", "c");
        assertThat(group.current()).isEmpty();
    }

    @Test
    void selectUsesTheChosenMemberAndSwitchesAtRunTimeWithoutTouchingOpenStreams() {
        FakeMember a = member("a");
        FakeMember b = member("b");
        GroupTransport group = group(s -> s.strategy(StrategyKind.SELECT).selected("b"), a, b);
        List<String> stored = new ArrayList<>();
        group.selectionStore(stored::add);

        Future<Channel> first = open(group, "x.test");
        assertThat(memberOf(first)).isEqualTo("b");

        group.select("a");
        assertThat(stored).containsExactly("a");
        assertThat(group.selected()).contains("a");
        assertThat(memberOf(open(group, "x.test"))).isEqualTo("a");
        assertThat(first.getNow().isActive()).as("a stream opened before the switch keeps running").isTrue();

        group.reconfigure(GroupSettings.builder("g").strategy(StrategyKind.SELECT).selected("a").build());
        assertThat(group.selected()).contains("a");

        assertThatThrownBy(() -> group.select("zz")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zz").hasMessageContaining("[a, b]");
    }

    @Test
    void onlyASelectGroupTakesASelection() {
        GroupTransport group = group(s -> s, member("a"));
        assertThatThrownBy(() -> group.select("a")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fallback");
    }

    @Test
    void aMemberThatJoinsWhileARoundRunsIsProbedAtOnce() {
        FakeMember a = member("a").up(Duration.ofMillis(100));
        GroupTransport group = group(s -> probing(s).strategy(StrategyKind.URL_TEST), a);
        time.runDue(); // the first round is now waiting for a
        FakeMember b = member("b").up(Duration.ofMillis(5));
        group.addMember(b);
        time.advance(Duration.ofMillis(100));
        assertThat(b.opensTo("probe.test")).isEqualTo(1);
        assertThat(group.current()).contains("b");
    }

    @Test
    void aLazyGroupProbesOnlyWhileItIsUsed() {
        FakeMember a = member("a");
        GroupTransport group = group(s -> probing(s).lazy(true), a);
        time.advance(Duration.ofMinutes(1));
        assertThat(a.opensTo("probe.test")).isZero();

        open(group, "x.test");
        time.runDue();
        assertThat(a.opensTo("probe.test")).isEqualTo(1);

        time.advance(Duration.ofMinutes(1)); // at most one more round for the use before it, then quiet
        long afterIdle = a.opensTo("probe.test");
        assertThat(afterIdle).isLessThanOrEqualTo(2);
        time.advance(Duration.ofMinutes(1));
        assertThat(a.opensTo("probe.test")).isEqualTo(afterIdle);
    }
}
