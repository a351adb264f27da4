package org.anytls4j.transport.api.netty;

/** Temporary: replaced by the data-plane types of issue 2. */
final class Placeholder {
    private Placeholder() {
    }
}
