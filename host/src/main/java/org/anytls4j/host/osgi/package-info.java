/**
 * OSGi wiring of the reference host: Declarative Services components for the proxy listener and the direct
 * transport, each configured by a factory configuration described with Metatype. The components only read and
 * validate configuration and manage lifecycles; the work is done by the OSGi-free classes of
 * {@code org.anytls4j.host.proxy} and {@code org.anytls4j.host.direct}.
 *
 * <p>{@code @RequireMetaTypeExtender} makes the bundle require a Metatype implementation, without which the
 * configuration descriptions would be silently ignored.
 */
@RequireMetaTypeExtender
package org.anytls4j.host.osgi;

import org.osgi.service.metatype.annotations.RequireMetaTypeExtender;
