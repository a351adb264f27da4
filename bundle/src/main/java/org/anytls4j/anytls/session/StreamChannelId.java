package org.anytls4j.anytls.session;

import io.netty.channel.ChannelId;

/** The id of a stream channel: {@code <session id>/<stream id>}, unique while the session's id is. */
final class StreamChannelId implements ChannelId {
    private static final long serialVersionUID = 1L;

    private final String text;

    StreamChannelId(String sessionId, int streamId) {
        this.text = sessionId + "/" + Integer.toUnsignedString(streamId);
    }

    @Override
    public String asShortText() {
        return text;
    }

    @Override
    public String asLongText() {
        return text;
    }

    @Override
    public int compareTo(ChannelId other) {
        return text.compareTo(other.asLongText());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StreamChannelId && ((StreamChannelId) other).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
