package org.anytls4j.itests.support;

import org.anytls4j.transport.api.OutboundTransport;
import org.anytls4j.transport.api.TransportConstants;
import org.anytls4j.transport.api.netty.NettyOutboundTransport;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.MetaTypeService;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.List;

/**
 * A Felix framework with SCR, Configuration Admin, Metatype and the AnyTLS bundle as built, sharing the transport
 * SPI, Netty and the OSGi service APIs with the test (see {@link SharedClassPath}), so tests call the published
 * transports directly.
 */
public final class AnyTlsFelix implements AutoCloseable {
    public static final String ANYTLS_BSN = "org.anytls4j.anytls";
    public static final String CLIENT_PID = "org.anytls4j.anytls.client";
    public static final String SERVER_PID = "org.anytls4j.anytls.server";
    /** DS names: the client component is named after its PID, the server component after its class. */
    public static final String CLIENT_COMPONENT = CLIENT_PID;
    public static final String SERVER_COMPONENT = "org.anytls4j.anytls.osgi.AnyTlsServerComponent";
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final OsgiFramework framework;
    private final ConfigurationAdmin configurationAdmin;

    private AnyTlsFelix(OsgiFramework framework) throws InterruptedException {
        this.framework = framework;
        this.configurationAdmin = framework.services().await(ConfigurationAdmin.class, null, TIMEOUT);
    }

    public static AnyTlsFelix launch(String name) throws Exception {
        return launch(name, BundleFiles.file(BundleFiles.ANYTLS));
    }

    /** As {@link #launch(String)} with another build of the AnyTLS bundle. */
    public static AnyTlsFelix launch(String name, Path anyTlsBundle) throws Exception {
        return launch(name, List.of(anyTlsBundle));
    }

    /** As {@link #launch(String)}, with Bouncy Castle 1.84 installed before the AnyTLS bundle (fingerprint = chrome). */
    public static AnyTlsFelix launchWithBouncyCastle(String name) throws Exception {
        List<Path> bundles = new ArrayList<>();
        for (String file : BundleFiles.BOUNCY_CASTLE) {
            bundles.add(BundleFiles.file(file));
        }
        bundles.add(BundleFiles.file(BundleFiles.ANYTLS));
        return launch(name, bundles);
    }

    /** As {@link #launch(String)}, with the reference host bundle too. */
    public static AnyTlsFelix launchWithHost(String name) throws Exception {
        return launch(name, List.of(BundleFiles.file(BundleFiles.ANYTLS), BundleFiles.file(BundleFiles.HOST)));
    }

    /**
     * As {@link #launchWithHost(String)}, with the group bundle too; its management package is shared with the
     * test, like the SPI, so the test calls the group's management interface directly.
     */
    public static AnyTlsFelix launchWithHostAndGroup(String name) throws Exception {
        return launch(name, List.of(BundleFiles.file(BundleFiles.ANYTLS), BundleFiles.file(BundleFiles.HOST),
                BundleFiles.file(BundleFiles.GROUP)),
                symbolicName -> SharedClassPath.apiAndNetty(symbolicName) || symbolicName.equals("org.anytls4j.group"));
    }

    private static AnyTlsFelix launch(String name, List<Path> productBundles) throws Exception {
        return launch(name, productBundles, SharedClassPath::apiAndNetty);
    }

    private static AnyTlsFelix launch(String name, List<Path> productBundles,
            java.util.function.Predicate<String> shared) throws Exception {
        List<Path> bundles = new ArrayList<>();
        for (String file : BundleFiles.OSGI_SERVICES) {
            bundles.add(BundleFiles.file(file));
        }
        bundles.addAll(productBundles);
        OsgiFramework framework = OsgiFramework.launch(name, SharedClassPath.exportsOf(shared), bundles);
        try {
            return new AnyTlsFelix(framework);
        } catch (InterruptedException | RuntimeException | Error e) {
            framework.close();
            throw e;
        }
    }

    public OsgiFramework framework() {
        return framework;
    }

    public ServiceAccess services() {
        return framework.services();
    }

    public Bundle anyTlsBundle() {
        return framework.bundle(ANYTLS_BSN);
    }

    public ConfigurationAdmin configurationAdmin() {
        return configurationAdmin;
    }

    public MetaTypeService metaType() throws InterruptedException {
        return services().await(MetaTypeService.class, null, TIMEOUT);
    }

    public ServiceComponentRuntime scr() throws InterruptedException {
        return services().await(ServiceComponentRuntime.class, null, TIMEOUT);
    }

    /** Creates or replaces the named factory configuration ({@code <factory PID>~alias}) bound to any bundle. */
    public Configuration configure(String factoryPid, String alias, Dictionary<String, ?> properties)
            throws Exception {
        Configuration configuration = configurationAdmin.getFactoryConfiguration(factoryPid, alias, "?");
        configuration.update(properties);
        return configuration;
    }

    public static String byName(String transportName) {
        return "(" + TransportConstants.TRANSPORT_NAME + "=" + transportName + ")";
    }

    /** The transport published under {@code transport.name}, waiting for it. */
    public NettyOutboundTransport awaitTransport(String transportName) throws InterruptedException {
        return services().await(NettyOutboundTransport.class, byName(transportName), TIMEOUT);
    }

    public ServiceReference<OutboundTransport> awaitTransportReference(String transportName)
            throws InterruptedException {
        return services().awaitReference(OutboundTransport.class, byName(transportName), TIMEOUT);
    }

    /** The DS configurations of the component named {@code componentName}, as SCR reports them now. */
    public Collection<ComponentConfigurationDTO> componentConfigurations(String componentName)
            throws InterruptedException {
        ServiceComponentRuntime scr = scr();
        ComponentDescriptionDTO description = scr.getComponentDescriptionDTO(anyTlsBundle(), componentName);
        if (description == null) {
            throw new AssertionError("SCR knows no component " + componentName + " in " + ANYTLS_BSN);
        }
        return scr.getComponentConfigurationDTOs(description);
    }

    /** Lets Configuration Admin deliver its queued events before the framework stops (see the barrier). */
    @Override
    public void close() {
        try {
            ConfigurationEventBarrier.pass(framework.context(), configurationAdmin, TIMEOUT);
        } finally {
            framework.close();
        }
    }
}
