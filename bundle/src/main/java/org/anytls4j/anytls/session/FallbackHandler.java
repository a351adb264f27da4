package org.anytls4j.anytls.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * Takes over a connection that failed authentication, Trojan style: the decrypted bytes the server already read are
 * replayed to another service and the connection is relayed there, so a prober meets an ordinary server.
 */
@FunctionalInterface
public interface FallbackHandler {
    /**
     * Called on the connection's event loop after the authentication handler left the pipeline.
     *
     * @param connection  the TLS connection, with only the TLS handler left in its pipeline
     * @param alreadyRead every decrypted byte read so far (possibly empty); ownership passes to the callee
     */
    void takeOver(Channel connection, ByteBuf alreadyRead);
}
