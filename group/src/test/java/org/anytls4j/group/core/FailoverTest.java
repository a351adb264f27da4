package org.anytls4j.group.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.Channel;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.TransportException;
import org.anytls4j.transport.api.TransportException.Phase;
import org.anytls4j.transport.api.TransportException.Reason;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.netty.TransportAttributes;
import org.junit.jupiter.api.Test;

/** Fail-over of opens and passive health, with the fallback strategy. */
class FailoverTest extends GroupFixture {

    @Test
    void anOpenThatFailsBeforeAnyByteMovesToTheNextMemberAndOnlyItsChannelGetsTheHandler() {
        FakeMember a = member("a").down(Reason.UPSTREAM_UNREACHABLE, Phase.CARRIER_CONNECT);
        FakeMember b = member("b");
        FakeMember c = member("c");
        GroupTransport group = group(s -> s.memberOrder(List.of("a", "b", "c")), c, b, a);
        RecordingHandler handler = new RecordingHandler();

        Future<Channel> open = open(group, "example.com", handler);

        assertThat(memberOf(open)).isEqualTo("b");
        assertThat(handler.channels).containsExactly(open.getNow());
        assertThat(handler.events).containsExactly("added", "registered", "active");
        assertThat(open.getNow().attr(TransportAttributes.CHAIN).get()).containsExactly("g", "b");
        assertThat(open.getNow().attr(TransportAttributes.REQUEST).get().openTimeout())
                .contains(Duration.ofSeconds(10));
        assertThat(group.failovers()).isEqualTo(1);
        assertThat(group.stats().extra()).containsEntry("group.failovers", 1L);
        assertThat(group.stats().opensSucceeded()).isEqualTo(1);
        assertThat(group.stats().opensFailed()).isZero();
        assertThat(c.opens).isEmpty();
    }

    @Test
    void aFailedMemberIsSkippedUntilAProbeSucceedsAgain() {
        FakeMember a = member("a").down(Reason.UPSTREAM_TLS, Phase.CARRIER_HANDSHAKE);
        FakeMember b = member("b");
        GroupTransport group = group(s -> probing(s).lazy(true), a, b);

        assertThat(memberOf(open(group, "x.test"))).isEqualTo("b");
        assertThat(memberOf(open(group, "x.test"))).isEqualTo("b");
        assertThat(a.opensTo("x.test")).as("a is skipped after its failure").isEqualTo(1);
        assertThat(group.health().state()).isEqualTo(TransportHealth.State.DEGRADED);
        assertThat(group.current()).contains("b");

        a.up();
        time.advance(Duration.ofSeconds(10)); // the next probe round reaches a again
        assertThat(a.opensTo("probe.test")).isPositive();
        assertThat(group.members().get(0).lastProbe()).hasValueSatisfying(p -> assertThat(p.success()).isTrue());
        assertThat(memberOf(open(group, "x.test"))).isEqualTo("a");
        assertThat(group.health().state()).isEqualTo(TransportHealth.State.UP);
    }

    @Test
    void whatTransportInfoShowsNamesTheCurrentMemberEachMembersHealthAndLastProbeAndTheFailovers() {
        FakeMember a = member("a").down(Reason.UPSTREAM_UNREACHABLE, Phase.CARRIER_CONNECT);
        FakeMember b = member("b");
        GroupTransport group = group(GroupFixture::probing, a, b);
        open(group, "x.test"); // fails on a, moves to b
        time.advance(Duration.ofSeconds(10)); // one probe round: a fails again, b answers

        // transport:info shows health().detail() as "Health detail" and every stats extra as a line of its own.
        assertThat(group.health().detail()).hasValueSatisfying(detail -> assertThat(detail)
                .contains("current b")
                .containsPattern("a skipped health=\\w+ failures=\\d+ probe: failed at ")
                .containsPattern("b usable health=\\w+ probe: \\d+ ms at "));
        assertThat(group.stats().extra())
                .containsEntry("group.current.b", 1L)
                .containsEntry("group.member.a.usable", 0L)
                .containsEntry("group.member.b.usable", 1L)
                .containsKey("group.member.b.probe.latencyMillis")
                .containsEntry("group.failovers", 1L);
    }

    @Test
    void withoutProbesAFailedMemberIsTriedAgainAfterOneInterval() {
        FakeMember a = member("a").down(Reason.UPSTREAM_UNREACHABLE, Phase.CARRIER_CONNECT);
        FakeMember b = member("b");
        GroupTransport group = group(s -> s.probeInterval(Duration.ofSeconds(30)), a, b);
        open(group, "x.test");
        a.up();
        time.advance(Duration.ofSeconds(29));
        assertThat(memberOf(open(group, "x.test"))).isEqualTo("b");
        time.advance(Duration.ofSeconds(1));
        assertThat(memberOf(open(group, "x.test"))).isEqualTo("a");
    }

    @Test
    void failOverHappensWithinTheRequestsOneOpenTimeout() {
        FakeMember a = member("a").failsAfter(Duration.ofSeconds(3), Reason.TIMEOUT, Phase.REMOTE_CONNECT);
        FakeMember b = member("b");
        GroupTransport group = group(s -> s, a, b);

        Future<Channel> open = open(group, "slow.test");
        assertThat(open.isDone()).isFalse();
        time.advance(Duration.ofSeconds(3));

        assertThat(memberOf(open)).isEqualTo("b");
        assertThat(b.opens.get(0).openTimeout()).contains(Duration.ofSeconds(7));
    }

    @Test
    void anOpenThatRunsOutOfTimeFailsWithTimeoutAndCancelsTheAttempt() {
        FakeMember a = member("a").hangs();
        FakeMember b = member("b");
        GroupTransport group = group(s -> s, a, b);

        Future<Channel> open = group.open(request("stuck.test", Duration.ofSeconds(5)), new RecordingHandler(), loop);
        time.advance(Duration.ofSeconds(5));

        assertThat(open.cause()).isInstanceOf(TransportException.class);
        assertThat(((TransportException) open.cause()).reason()).isEqualTo(Reason.TIMEOUT);
        assertThat(((TransportException) open.cause()).transportName()).isEqualTo("g");
        assertThat(a.attempts.get(0).isCancelled()).isTrue();
        assertThat(b.opens).isEmpty();
        assertThat(group.stats().failures(Reason.TIMEOUT)).isEqualTo(1);
    }

    @Test
    void theDestinationsOwnVerdictIsNotRetriedNorHeldAgainstTheMember() {
        FakeMember a = member("a").down(Reason.DESTINATION_REFUSED, Phase.REMOTE_CONNECT);
        FakeMember b = member("b");
        GroupTransport group = group(s -> s, a, b);

        Future<Channel> open = open(group, "closed.test");

        assertThat(((TransportException) open.cause()).reason()).isEqualTo(Reason.DESTINATION_REFUSED);
        assertThat(b.opens).isEmpty();
        assertThat(group.members().get(0).usable()).isTrue();
    }

    @Test
    void whenEveryMemberFailsTheApplicationGetsTheLastReasonNamingEachMember() {
        FakeMember a = member("a").down(Reason.UPSTREAM_UNREACHABLE, Phase.CARRIER_CONNECT);
        FakeMember b = member("b").down(Reason.UPSTREAM_AUTH, Phase.CARRIER_HANDSHAKE);
        GroupTransport group = group(s -> s, a, b);

        TransportException failure = (TransportException) open(group, "x.test").cause();
        assertThat(failure.reason()).isEqualTo(Reason.UPSTREAM_AUTH);
        assertThat(failure.getMessage()).contains("a: ").contains("b: ");

        TransportException refusal = (TransportException) open(group, "x.test").cause();
        assertThat(refusal.reason()).isEqualTo(Reason.UPSTREAM_UNREACHABLE);
        assertThat(refusal.phase()).isEqualTo(Phase.QUEUE);
        assertThat(group.health().state()).isEqualTo(TransportHealth.State.DOWN);
    }

    @Test
    void aGroupWithoutMembersRefusesAndNeverIncludesItself() {
        GroupTransport group = group(s -> s);
        assertThat(group.addMember(group)).isFalse();
        TransportException refusal = (TransportException) open(group, "x.test").cause();
        assertThat(refusal.reason()).isEqualTo(Reason.UPSTREAM_UNREACHABLE);
        assertThat(group.networks()).isEmpty();
    }

    @Test
    void networksAndCapabilitiesAreTheIntersectionOfTheMembers() {
        FakeMember a = member("a").capabilities(Set.of(Capability.HALF_CLOSE, Capability.MULTIPLEXED));
        FakeMember b = member("b").capabilities(Set.of(Capability.HALF_CLOSE)).networks(Set.of(Network.TCP));
        GroupTransport group = group(s -> s, a, b);
        assertThat(group.capabilities()).containsExactly(Capability.HALF_CLOSE);
        assertThat(group.networks()).containsExactly(Network.TCP);
        group.removeMember(b);
        assertThat(group.networks()).containsExactlyInAnyOrder(Network.TCP, Network.UDP);
    }

    @Test
    void aGroupNeverOffersEarlyDataAndOpensItsMembersConfirmedSoThatAFailedOpenCanMove() {
        Set<Capability> early = Set.of(Capability.HALF_CLOSE, Capability.EARLY_DATA);
        FakeMember a = member("a").capabilities(early).down(Reason.UPSTREAM_UNREACHABLE, Phase.CARRIER_CONNECT);
        FakeMember b = member("b").capabilities(early);
        GroupTransport group = group(s -> s.memberOrder(List.of("a", "b")), b, a);
        assertThat(group.capabilities()).containsExactly(Capability.HALF_CLOSE);

        Future<Channel> open = group.open(request("x.test", Duration.ofSeconds(10)).toBuilder().earlyData(true)
                .build(), new RecordingHandler(), loop);

        assertThat(memberOf(open)).isEqualTo("b");
        assertThat(a.opens).singleElement().satisfies(request -> assertThat(request.earlyData()).isFalse());
        assertThat(b.opens).singleElement().satisfies(request -> assertThat(request.earlyData()).isFalse());
    }

    @Test
    void aCancelledOpenCancelsTheMembersAttempt() {
        FakeMember a = member("a").hangs();
        GroupTransport group = group(s -> s, a);
        Future<Channel> open = open(group, "x.test");
        open.cancel(false);
        assertThat(a.attempts.get(0).isCancelled()).isTrue();
        assertThat(group.stats().failures(Reason.CANCELLED)).isEqualTo(1);
        time.advance(Duration.ofSeconds(20)); // the deadline timer was called off with the open
        assertThat(group.stats().failures(Reason.TIMEOUT)).isZero();
    }
}
