package org.anytls4j.transport.api.netty;

import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.util.List;
import org.anytls4j.transport.api.OpenRequest;

/**
 * Channel attributes a transport sets on the channels it opens, before their open future completes (rule 10 of the
 * {@link NettyOutboundTransport} contract), so that host handlers and logs can see how a channel was made.
 *
 * <p>Key names are qualified with this class's name, so they cannot collide with other users of Netty's global
 * attribute-key pool.
 */
public final class TransportAttributes {
    /** The request the channel was opened for. */
    public static final AttributeKey<OpenRequest> REQUEST = AttributeKey.valueOf(TransportAttributes.class, "REQUEST");

    /**
     * Names of the transports the open went through, outermost first, e.g. {@code ["auto-hk", "hk1"]}: each
     * layer (group, detour) prepends its own {@code transport.name}.
     */
    public static final AttributeKey<List<String>> CHAIN = AttributeKey.valueOf(TransportAttributes.class, "CHAIN");

    /** Whether the far end confirmed that the destination is connected ({@code false} if it could not tell). */
    public static final AttributeKey<Boolean> CONFIRMED =
            AttributeKey.valueOf(TransportAttributes.class, "CONFIRMED");

    /** The server actually used: the transport's server, or the destination itself for a direct transport. */
    public static final AttributeKey<InetSocketAddress> UPSTREAM =
            AttributeKey.valueOf(TransportAttributes.class, "UPSTREAM");

    /** Id of the carrier session the stream runs on, for pooled transports. */
    public static final AttributeKey<String> SESSION_ID =
            AttributeKey.valueOf(TransportAttributes.class, "SESSION_ID");

    private TransportAttributes() {
    }
}
