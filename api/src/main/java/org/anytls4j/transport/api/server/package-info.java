/**
 * A read-only view of running inbound servers (an AnyTLS server, say) for operators' tools: shell commands, JMX,
 * health checks. A server implementation registers one {@link org.anytls4j.transport.api.server.ServerView} service
 * per running server; tools read immutable {@link org.anytls4j.transport.api.server.ServerSnapshot}s from it.
 */
@Export
@Version("1.0.0")
package org.anytls4j.transport.api.server;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
