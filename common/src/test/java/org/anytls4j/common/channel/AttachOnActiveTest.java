package org.anytls4j.common.channel;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AttachOnActiveTest {

    /** Not {@code @Sharable}: Netty refuses to add it to a second pipeline, as a retried open would. */
    private static final class Recording extends ChannelInboundHandlerAdapter {
        final List<String> events = new ArrayList<>();

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            events.add("added");
        }

        @Override
        public void channelRegistered(ChannelHandlerContext ctx) {
            events.add("registered");
            ctx.fireChannelRegistered();
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            events.add("active");
            ctx.fireChannelActive();
        }
    }

    /** A stream channel before the session registers it, with the gate in front of the application's handler. */
    private static EmbeddedChannel unregistered(Recording application) {
        return new EmbeddedChannel(DefaultChannelId.newInstance(), false, false, new AttachOnActive(application));
    }

    @Test
    void theApplicationsHandlerIsUntouchedUntilTheStreamIsActiveThenSeesRegisteredAndActiveInOrder() throws Exception {
        Recording application = new Recording();
        EmbeddedChannel stream = unregistered(application);
        assertThat(application.events).isEmpty();
        assertThat(stream.pipeline().get(Recording.class)).isNull();

        stream.register(); // an embedded channel becomes active as it registers

        assertThat(application.events).containsExactly("added", "registered", "active");
        assertThat(stream.pipeline().get(AttachOnActive.class)).isNull();
        assertThat(stream.pipeline().get(Recording.class)).isSameAs(application);
        stream.finishAndReleaseAll();
    }

    @Test
    void aStreamThatNeverBecomesActiveLeavesTheHandlerFreeForTheNextAttempt() throws Exception {
        Recording application = new Recording();
        unregistered(application); // the dead attempt: its session dies before it is confirmed
        assertThat(application.events).isEmpty();

        EmbeddedChannel retry = unregistered(application);
        retry.register();

        assertThat(application.events).containsExactly("added", "registered", "active");
        assertThat(retry.pipeline().get(Recording.class)).isSameAs(application);
        retry.finishAndReleaseAll();
    }

    @Test
    void anAttemptTheOpenerGaveUpOnIsClosedWithoutTouchingTheHandler() throws Exception {
        Recording application = new Recording();
        EmbeddedChannel late = new EmbeddedChannel(DefaultChannelId.newInstance(), false, false,
                new AttachOnActive(application, () -> false));

        late.register();

        assertThat(application.events).isEmpty();
        assertThat(late.isOpen()).isFalse();
        late.finishAndReleaseAll();
    }
}
