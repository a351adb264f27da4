package org.anytls4j.transport.api;

import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the host knows about the client behind a request, for transport logs and policy. Never sent on the wire.
 *
 * <p>Immutable; built with {@link #builder(String)}. Tools and tests that have no client use {@link #anonymous()}.
 */
public final class RequestContext {
    /** Most labels one context may carry; labels are for routing hints, not for bulk data. */
    public static final int MAX_LABELS = 32;
    /** Longest label key or value, in characters. */
    public static final int MAX_LABEL_LENGTH = 256;

    /** The context of a request that no client made (tools, tests, health probes). */
    public static final RequestContext EMPTY = builder("anonymous").build();

    private final String connectionId;
    private final String inbound;
    private final String inboundProtocol;
    private final InetSocketAddress source;
    private final String user;
    private final String isolationKey;
    private final Map<String, String> labels;

    private RequestContext(Builder builder) {
        this.connectionId = builder.connectionId;
        this.inbound = builder.inbound;
        this.inboundProtocol = builder.inboundProtocol;
        this.source = builder.source;
        this.user = builder.user;
        this.isolationKey = builder.isolationKey;
        this.labels = Collections.unmodifiableMap(new LinkedHashMap<>(builder.labels));
    }

    /**
     * @param connectionId host-unique id of the client connection, repeated in transport log lines
     * @throws IllegalArgumentException if it is blank
     */
    public static Builder builder(String connectionId) {
        return new Builder(connectionId);
    }

    /** {@link #EMPTY}. */
    public static RequestContext anonymous() {
        return EMPTY;
    }

    public String connectionId() {
        return connectionId;
    }

    /** Name of the host listener the client came in on, e.g. {@code socks-main}; empty if unknown. */
    public String inbound() {
        return inbound;
    }

    /** Protocol of that listener, e.g. {@code socks5}, {@code http-connect}, {@code transparent}; empty if unknown. */
    public String inboundProtocol() {
        return inboundProtocol;
    }

    /** The client's address. */
    public Optional<InetSocketAddress> source() {
        return Optional.ofNullable(source);
    }

    /** The authenticated principal's name (never a credential). */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /**
     * A transport with {@link Capability#ISOLATION} never lets requests with different keys share a carrier; one
     * without it ignores the key.
     */
    public Optional<String> isolationKey() {
        return Optional.ofNullable(isolationKey);
    }

    /** Host labels (rule, tenant, route), in insertion order; at most {@link #MAX_LABELS}. */
    public Map<String, String> labels() {
        return labels;
    }

    public Builder toBuilder() {
        Builder builder = new Builder(connectionId)
                .inbound(inbound)
                .inboundProtocol(inboundProtocol)
                .source(source)
                .user(user)
                .isolationKey(isolationKey);
        builder.labels.putAll(labels);
        return builder;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RequestContext)) {
            return false;
        }
        RequestContext other = (RequestContext) o;
        return connectionId.equals(other.connectionId)
                && inbound.equals(other.inbound)
                && inboundProtocol.equals(other.inboundProtocol)
                && Objects.equals(source, other.source)
                && Objects.equals(user, other.user)
                && Objects.equals(isolationKey, other.isolationKey)
                && labels.equals(other.labels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(connectionId, inbound, inboundProtocol, source, user, isolationKey, labels);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("conn=").append(connectionId);
        if (!inbound.isEmpty()) {
            text.append(" inbound=").append(inbound);
        }
        if (!inboundProtocol.isEmpty()) {
            text.append(" protocol=").append(inboundProtocol);
        }
        if (source != null) {
            // getHostString, not getHostName: the latter may do a reverse lookup.
            text.append(" source=").append(source.getHostString()).append(':').append(source.getPort());
        }
        if (user != null) {
            text.append(" user=").append(user);
        }
        if (isolationKey != null) {
            text.append(" isolation=").append(isolationKey);
        }
        if (!labels.isEmpty()) {
            text.append(" labels=").append(labels);
        }
        return text.toString();
    }

    /** Collects the fields of a {@link RequestContext}; not thread-safe. */
    public static final class Builder {
        private final String connectionId;
        private String inbound = "";
        private String inboundProtocol = "";
        private InetSocketAddress source;
        private String user;
        private String isolationKey;
        private final Map<String, String> labels = new LinkedHashMap<>();

        private Builder(String connectionId) {
            Objects.requireNonNull(connectionId, "connectionId");
            if (connectionId.isBlank()) {
                throw new IllegalArgumentException("connectionId must not be blank, was '" + connectionId + "'");
            }
            this.connectionId = connectionId;
        }

        /** @param inbound listener name; {@code null} means unknown */
        public Builder inbound(String inbound) {
            this.inbound = inbound == null ? "" : inbound;
            return this;
        }

        /** @param inboundProtocol listener protocol; {@code null} means unknown */
        public Builder inboundProtocol(String inboundProtocol) {
            this.inboundProtocol = inboundProtocol == null ? "" : inboundProtocol;
            return this;
        }

        /** @param source the client's address; {@code null} means unknown */
        public Builder source(InetSocketAddress source) {
            this.source = source;
            return this;
        }

        /** @param user the authenticated principal's name; {@code null} means none */
        public Builder user(String user) {
            this.user = user;
            return this;
        }

        /** @param isolationKey {@code null} means no isolation requirement */
        public Builder isolationKey(String isolationKey) {
            this.isolationKey = isolationKey;
            return this;
        }

        /**
         * Adds or replaces one label.
         *
         * @throws IllegalArgumentException naming the key, if it is blank, a key or value is longer than
         *                                  {@link #MAX_LABEL_LENGTH}, or this would be label number
         *                                  {@link #MAX_LABELS} + 1
         */
        public Builder label(String key, String value) {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, () -> "value of label '" + key + "'");
            if (key.isBlank()) {
                throw new IllegalArgumentException("Label key must not be blank, was '" + key + "'");
            }
            if (key.length() > MAX_LABEL_LENGTH || value.length() > MAX_LABEL_LENGTH) {
                throw new IllegalArgumentException("Label '" + abbreviate(key) + "' is too long: key "
                        + key.length() + " and value " + value.length() + " characters, max "
                        + MAX_LABEL_LENGTH + " each");
            }
            if (!labels.containsKey(key) && labels.size() == MAX_LABELS) {
                throw new IllegalArgumentException("Too many labels: adding '" + key + "' would exceed "
                        + MAX_LABELS);
            }
            labels.put(key, value);
            return this;
        }

        /** Adds or replaces every label of {@code more}, with the checks of {@link #label(String, String)}. */
        public Builder labels(Map<String, String> more) {
            Objects.requireNonNull(more, "labels");
            more.forEach(this::label);
            return this;
        }

        private static String abbreviate(String key) {
            return key.length() <= 64 ? key : key.substring(0, 64) + "...";
        }

        public RequestContext build() {
            return new RequestContext(this);
        }
    }
}
