/**
 * Management of transport groups: what a shell command or a JMX bean needs to show a group's state and to switch
 * the member of a {@code select} group at run time. One {@link org.anytls4j.group.TransportGroupControl} service is
 * registered per group, with the group's {@code transport.name}.
 */
@Export
@Version("1.0.0")
package org.anytls4j.group;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
