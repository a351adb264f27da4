/**
 * OSGi wiring of the AnyTLS transport: configuration descriptions (Metatype) and, later, the DS components.
 * {@code @RequireMetaTypeExtender} makes the bundle require a Metatype implementation, without which the
 * configuration descriptions below would be silently ignored.
 */
@RequireMetaTypeExtender
package org.anytls4j.anytls.osgi;

import org.osgi.service.metatype.annotations.RequireMetaTypeExtender;
