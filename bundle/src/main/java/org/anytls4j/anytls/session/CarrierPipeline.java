package org.anytls4j.anytls.session;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import org.anytls4j.anytls.padding.PacketShapingHandler;
import org.anytls4j.anytls.tls.RecordAlignmentHandler;
import org.anytls4j.anytls.wire.FrameCodec;

/**
 * Assembles the session half of a carrier pipeline, after the TLS handler (and after authentication):
 *
 * <pre>
 *  TLS  &lt;-&gt;  records  &lt;-&gt;  [shaper]  &lt;-&gt;  frames  &lt;-&gt;  heartbeat  &lt;-&gt;  session  &lt;-&gt;  streams
 * </pre>
 *
 * <ul>
 *   <li>{@code records} ({@link RecordAlignmentHandler}): one buffer per TLS record for the engine;</li>
 *   <li>{@code shaper} ({@link PacketShapingHandler}, client only): packet 1 coalescing and padding (§9);</li>
 *   <li>{@code frames} ({@link FrameCodec}): bytes to frames and back (§4);</li>
 *   <li>{@code heartbeat} ({@link HeartbeatHandler}): liveness, heartbeat answers and idle probes (§10);</li>
 *   <li>{@code session} ({@link ClientSessionHandler} or {@link ServerSessionHandler}): control frames;</li>
 *   <li>{@code streams} ({@link StreamMultiplexer}): the stream table, PSH and FIN, backpressure.</li>
 * </ul>
 */
public final class CarrierPipeline {
    private CarrierPipeline() {
    }

    /** Adds a client session's handlers after {@code base} (null: at the end of the pipeline). */
    public static void client(ChannelPipeline pipeline, String base, ClientSessionHandler session) {
        add(pipeline, base,
                "records", new RecordAlignmentHandler(),
                "shaper", new PacketShapingHandler(session.shaper()),
                // Downloads: PSH bodies longer than a TLS record go on in pieces, without a copy to reassemble them.
                "frames", new FrameCodec(true),
                "heartbeat", session.heartbeat(),
                "session", session,
                "streams", session.multiplexer());
    }

    /** Adds a server session's handlers after {@code base} (null: at the end of the pipeline). */
    public static void server(ChannelPipeline pipeline, String base, ServerSessionHandler session) {
        add(pipeline, base,
                "records", new RecordAlignmentHandler(),
                // Uploads: the same; the stream handler reads the address from the stream's bytes, not from one frame.
                "frames", new FrameCodec(true),
                "heartbeat", session.heartbeat(),
                "session", session,
                "streams", session.multiplexer());
    }

    private static void add(ChannelPipeline pipeline, String base, Object... namesAndHandlers) {
        String previous = base;
        for (int i = 0; i < namesAndHandlers.length; i += 2) {
            String name = (String) namesAndHandlers[i];
            ChannelHandler handler = (ChannelHandler) namesAndHandlers[i + 1];
            if (previous == null) {
                pipeline.addLast(name, handler);
            } else {
                pipeline.addAfter(previous, name, handler);
            }
            previous = name;
        }
    }
}
