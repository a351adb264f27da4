package org.anytls4j.group.osgi;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Collectors;
import org.anytls4j.group.TransportGroupControl;
import org.anytls4j.group.core.GroupClock;
import org.anytls4j.group.core.GroupScheduler;
import org.anytls4j.group.core.GroupSettings;
import org.anytls4j.group.core.GroupTransport;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.TransportConstants;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One {@link GroupTransport} per factory configuration of {@value GroupConfiguration#PID}, registered as an
 * outbound transport ({@code transport.type=group}) and as a {@link TransportGroupControl}.
 *
 * <p>The component registers the services itself, because their properties change while it runs: networks and
 * capabilities are the intersection of the members', which come and go. For the same reason as the AnyTLS client
 * component, activation never fails: an invalid configuration is logged naming the property and publishes
 * nothing, an invalid change leaves the running group as it was. Every change of a valid configuration, the run-time
 * selection of a select group included, is applied live: the service stays registered and no stream is dropped.
 */
@Component(name = GroupConfiguration.PID, configurationPid = GroupConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = GroupConfiguration.class, factory = true)
public final class GroupComponent {
    private static final System.Logger LOG = System.getLogger(GroupComponent.class.getName());
    private static final String[] SERVICES = {NettyOutboundTransport.class.getName(),
        OutboundTransport.class.getName(), TransportGroupControl.class.getName()};

    private final Set<NettyOutboundTransport> bound = ConcurrentHashMap.newKeySet();
    private volatile ConfigurationAdmin configurationAdmin;
    private BundleContext context;
    private String pid;
    private ScheduledThreadPoolExecutor timers;
    private GroupTransport group;
    private ServiceRegistration<?> registration;
    private Dictionary<String, Object> published;

    @Activate
    synchronized void activate(BundleContext context, GroupConfiguration config, Map<String, Object> properties) {
        this.context = context;
        apply(config, properties);
    }

    @Modified
    synchronized void modified(GroupConfiguration config, Map<String, Object> properties) {
        apply(config, properties);
    }

    @Deactivate
    synchronized void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // The framework unregistered it while stopping the bundle.
            }
            registration = null;
        }
        if (group != null) {
            group.close();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
    }

    @Reference(name = "members", service = NettyOutboundTransport.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(!(transport.type=group))")
    void bindMember(NettyOutboundTransport member) {
        bound.add(member);
        GroupTransport current;
        synchronized (this) {
            current = group;
        }
        if (current != null && current.addMember(member)) {
            publish();
        }
    }

    void updatedMember(NettyOutboundTransport member) {
        GroupTransport current;
        synchronized (this) {
            current = group;
        }
        if (current != null) {
            current.removeMember(member);
            current.addMember(member); // its networks, capabilities or name may have changed
            publish();
        }
    }

    void unbindMember(NettyOutboundTransport member) {
        bound.remove(member);
        GroupTransport current;
        synchronized (this) {
            current = group;
        }
        if (current != null) {
            current.removeMember(member);
            publish();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindConfigurationAdmin(ConfigurationAdmin admin) {
        configurationAdmin = admin;
    }

    void unbindConfigurationAdmin(ConfigurationAdmin admin) {
        if (configurationAdmin == admin) {
            configurationAdmin = null;
        }
    }

    private void apply(GroupConfiguration config, Map<String, Object> properties) {
        pid = String.valueOf(properties.get("service.pid"));
        GroupSettings settings;
        try {
            settings = GroupSettingsReader.read(config);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.ERROR, "invalid transport group configuration {0}: {1}; {2}", pid,
                    e.getMessage(), group == null ? "no group is published until it is corrected"
                            : "group " + group.name() + " keeps its previous configuration");
            return;
        }
        if (group == null) {
            timers = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread thread = new Thread(runnable, "anytls4j-group-" + settings.name());
                thread.setDaemon(true);
                return thread;
            });
            timers.setRemoveOnCancelPolicy(true);
            group = GroupTransport.start(settings, GroupClock.system(), GroupScheduler.of(timers));
            group.selectionStore(this::storeSelection);
            for (NettyOutboundTransport member : bound) {
                group.addMember(member);
            }
        } else {
            group.reconfigure(settings);
        }
        LOG.log(System.Logger.Level.INFO, "transport group {0} applied: {1}", settings.name(), settings);
        publish();
    }

    /** Registers the group, or updates its service properties if they changed. */
    private synchronized void publish() {
        if (group == null || context == null) {
            return;
        }
        Dictionary<String, Object> properties = properties(group);
        if (registration == null) {
            registration = context.registerService(SERVICES, group, properties);
        } else if (!properties.equals(published)) {
            registration.setProperties(properties);
        }
        published = properties;
    }

    private static Dictionary<String, Object> properties(GroupTransport group) {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(TransportConstants.TRANSPORT_NAME, group.name());
        properties.put(TransportConstants.TRANSPORT_TYPE, GroupTransport.TYPE);
        properties.put(TransportConstants.TRANSPORT_NETWORKS,
                group.networks().stream().map(Network::wireName).sorted().toArray(String[]::new));
        properties.put(TransportConstants.TRANSPORT_CAPABILITIES,
                group.capabilities().stream().map(Capability::wireName).sorted().toArray(String[]::new));
        List<String> labels = group.labels();
        properties.put(TransportConstants.TRANSPORT_LABELS, labels.toArray(String[]::new));
        properties.put(TransportGroupControl.GROUP_STRATEGY, group.strategy());
        return new ComparableProperties(properties);
    }

    /** Writes a run-time selection into this group's configuration, so it survives restarts and reaches a fleet. */
    private void storeSelection(String member) {
        ConfigurationAdmin admin = configurationAdmin;
        String myPid;
        synchronized (this) {
            myPid = pid;
        }
        if (admin == null) {
            LOG.log(System.Logger.Level.WARNING, "no Configuration Admin: the selection of {0} in {1} lasts only "
                    + "until the group restarts", member, myPid);
            return;
        }
        try {
            Configuration[] found = admin.listConfigurations("(service.pid=" + myPid + ")");
            if (found == null || found.length == 0) {
                LOG.log(System.Logger.Level.WARNING, "configuration {0} is gone; selection of {1} not stored", myPid,
                        member);
                return;
            }
            Dictionary<String, Object> properties = found[0].getProperties();
            if (Objects.equals(properties.get("selected"), member)) {
                return;
            }
            properties.put("selected", member);
            found[0].update(properties);
        } catch (IOException | InvalidSyntaxException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot store the selection of {0} in {1}: {2}", member, myPid,
                    e.toString());
        }
    }

    /** A Hashtable whose equality compares array values by content, so unchanged properties are not re-published. */
    private static final class ComparableProperties extends Hashtable<String, Object> {
        private static final long serialVersionUID = 1L;

        ComparableProperties(Map<String, Object> values) {
            super(values);
        }

        @Override
        public synchronized boolean equals(Object o) {
            if (!(o instanceof ComparableProperties)) {
                return false;
            }
            ComparableProperties other = (ComparableProperties) o;
            return keySet().equals(other.keySet()) && keySet().stream().allMatch(key -> java.util.Objects
                    .deepEquals(get(key), other.get(key)));
        }

        @Override
        public synchronized int hashCode() {
            return keySet().stream().collect(Collectors.toSet()).hashCode();
        }
    }
}
