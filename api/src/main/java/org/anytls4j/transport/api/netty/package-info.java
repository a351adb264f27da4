/**
 * Data plane of the outbound-transport SPI: streams and datagram flows as Netty child channels.
 */
@Export
@Version("1.0.0")
package org.anytls4j.transport.api.netty;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
