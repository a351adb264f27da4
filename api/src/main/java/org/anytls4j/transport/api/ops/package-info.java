/**
 * Small helpers that make transports, servers and hosts operable the same way: log lines that are rate-limited per
 * key with a "suppressed N similar" summary, and descriptions of configuration changes that never show a secret.
 * JDK only.
 */
@Export
@Version("1.0.0")
package org.anytls4j.transport.api.ops;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
