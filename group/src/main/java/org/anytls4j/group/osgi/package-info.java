/**
 * OSGi wiring of transport groups: a Declarative Services component per factory configuration, described with
 * Metatype. It validates configuration, tracks the member services and publishes the group; the work is done by
 * the OSGi-free classes of {@code org.anytls4j.group.core}.
 */
@RequireMetaTypeExtender
package org.anytls4j.group.osgi;

import org.osgi.service.metatype.annotations.RequireMetaTypeExtender;
