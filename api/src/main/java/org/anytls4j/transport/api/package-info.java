/**
 * Control plane of the outbound-transport SPI: value types, errors, statistics and health, with no Netty type.
 */
@Export
@Version("1.2.0")
package org.anytls4j.transport.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
