package org.anytls4j.host.osgi;

import org.anytls4j.common.config.UnknownProperties;
import org.anytls4j.common.config.DurationText;
import org.anytls4j.common.config.InstanceNames;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.anytls4j.common.service.TransportServiceProperties;
import org.anytls4j.host.direct.DirectTransport;
import org.anytls4j.transport.api.Capability;
import org.anytls4j.transport.api.Network;
import org.anytls4j.transport.api.OpenRequest;
import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.TransportConstants;
import org.anytls4j.transport.api.SessionSnapshot;
import org.anytls4j.transport.api.TransportHealth;
import org.anytls4j.transport.api.TransportStats;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One {@link DirectTransport} per factory configuration of {@value DirectTransportConfiguration#PID}, registered
 * as an outbound transport service. {@code transport.name} (and {@code transport.labels}) come from the
 * configuration; type, networks and capabilities come from the transport's own methods
 * ({@link TransportServiceProperties}), so they always equal what it reports.
 *
 * <p>The service is registered here rather than declared to DS because its properties derive from the transport,
 * which DS annotations (compile-time constants) cannot express. No {@code @Modified}: a configuration change
 * replaces the instance (SPI design §4.7); a host holding a GREEDY reference picks up the new one. An invalid
 * configuration fails activation naming the property, before any thread starts or anything is registered.
 */
@Component(name = DirectTransportConfiguration.PID, configurationPid = DirectTransportConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE, service = {}, immediate = true)
@Designate(ocd = DirectTransportConfiguration.class, factory = true)
public final class DirectTransportComponent implements NettyOutboundTransport {
    private static final String[] SERVICES = {NettyOutboundTransport.class.getName(), OutboundTransport.class.getName()};

    private final EventLoopGroup group;
    private final DirectTransport transport;
    private ServiceRegistration<?> registration;

    /** @throws IllegalArgumentException naming the property, if the configuration is invalid */
    @Activate
    public DirectTransportComponent(DirectTransportConfiguration config, BundleContext context,
                                    Map<String, Object> properties) {
        this(config);
        UnknownProperties.warn(properties.get("service.pid"), properties,
                UnknownProperties.namesOf(DirectTransportConfiguration.class, TransportConstants.class));
        if (context != null) { // null only in tests without a framework
            registration = context.registerService(SERVICES, this, serviceProperties(properties));
        }
    }

    /** The transport without a service, for tests. */
    DirectTransportComponent(DirectTransportConfiguration config) {
        // Validate everything before any thread is started, so a bad configuration leaks nothing.
        String name = InstanceNames.check(config.transport_name(), "transport.name");
        Duration connectTimeout = DurationText.parsePositive(config.connectTimeout(), "connectTimeout");
        String bindText = config.bindAddress() == null ? "" : config.bindAddress().trim();
        InetAddress bindAddress = bindText.isEmpty() ? null : HostSettings.ipAddress(bindText, "bindAddress");
        int threads = HostSettings.ioThreads(config.ioThreads());

        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("anytls4j-direct-" + name, true),
                NioIoHandler.newFactory());
        DirectTransport.Builder builder = DirectTransport.builder(name, group).connectTimeout(connectTimeout);
        if (bindAddress != null) {
            builder.bindAddress(bindAddress);
        }
        this.transport = builder.build();
    }

    /** What the service publishes for {@code configuration}. */
    Dictionary<String, Object> serviceProperties(Map<String, Object> configuration) {
        return TransportServiceProperties.of(transport, configuration);
    }

    @Override
    public String name() {
        return transport.name();
    }

    @Override
    public String type() {
        return transport.type();
    }

    @Override
    public Set<Network> networks() {
        return transport.networks();
    }

    @Override
    public Set<Capability> capabilities() {
        return transport.capabilities();
    }

    @Override
    public TransportStats stats() {
        return transport.stats();
    }

    @Override
    public TransportHealth health() {
        return transport.health();
    }

    @Override
    public List<SessionSnapshot> sessions() {
        return transport.sessions();
    }

    @Override
    public Future<Channel> open(OpenRequest request, ChannelHandler handler, EventLoop preferredLoop) {
        return transport.open(request, handler, preferredLoop);
    }

    @Deactivate
    void deactivate() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // The framework unregistered it while stopping the bundle.
            }
        }
        transport.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
        return transport.toString();
    }
}
