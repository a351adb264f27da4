package org.anytls4j.anytls.session;

import io.netty.util.AttributeKey;

/** Channel attributes the session layer sets on its streams. */
public final class StreamAttributes {
    /** The authenticated user a server-side stream belongs to. */
    public static final AttributeKey<String> USER = AttributeKey.valueOf("anytls4j.stream.user");

    private StreamAttributes() {
    }
}
