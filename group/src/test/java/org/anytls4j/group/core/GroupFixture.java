package org.anytls4j.group.core;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.anytls4j.transport.api.Destination;
import org.anytls4j.transport.api.OpenRequest;

/** A group of fake members on manual time, for the strategy and health tests. */
class GroupFixture {
    final ManualTime time = new ManualTime();
    final EventLoop loop = new EmbeddedChannel().eventLoop();

    FakeMember member(String name) {
        return new FakeMember(name, time, loop).up();
    }

    GroupTransport group(UnaryOperator<GroupSettings.Builder> settings, FakeMember... members) {
        GroupTransport group = GroupTransport.start(settings.apply(GroupSettings.builder("g")).build(), time, time);
        for (FakeMember member : members) {
            group.addMember(member);
        }
        return group;
    }

    static GroupSettings.Builder probing(GroupSettings.Builder builder) {
        return builder.probe(Destination.ofHost("probe.test", 80)).probeInterval(Duration.ofSeconds(10)).lazy(false);
    }

    Future<Channel> open(GroupTransport group, String host, RecordingHandler handler) {
        return group.open(request(host, Duration.ofSeconds(10)), handler, loop);
    }

    Future<Channel> open(GroupTransport group, String host) {
        return open(group, host, new RecordingHandler());
    }

    static OpenRequest request(String host, Duration timeout) {
        return OpenRequest.tcp(Destination.ofHost(host, 443)).openTimeout(timeout).build();
    }

    /** The name of the member whose channel the open got. */
    static String memberOf(Future<Channel> open) {
        if (!open.isSuccess()) {
            throw new AssertionError("the open did not succeed: " + open.cause());
        }
        return open.getNow().attr(org.anytls4j.transport.api.netty.TransportAttributes.CHAIN).get().get(1);
    }
}
