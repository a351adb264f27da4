package org.anytls4j.itests.felix;

import org.anytls4j.itests.support.BundleFiles;
import org.anytls4j.itests.support.LogCapture;
import org.anytls4j.itests.support.ServerConfig;
import org.anytls4j.itests.support.TestPki;
import org.anytls4j.itests.support.OsgiFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.AllServiceListener;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.util.tracker.ServiceTracker;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bundle as a bundle, in a framework that exports nothing but the JDK: the API, Netty and AnyTLS bundles
 * resolve and start with only what they declare, and SCR runs the client component. Here the test shares no
 * classes with the framework, so it talks to Configuration Admin reflectively and looks at services by name.
 */
class BundleResolutionIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private OsgiFramework framework;

    @BeforeEach
    void launch() throws Exception {
        List<Path> bundles = new ArrayList<>();
        for (List<String> group : List.of(BundleFiles.SCR_APIS, BundleFiles.OSGI_SERVICES, BundleFiles.NETTY,
                List.of(BundleFiles.API, BundleFiles.ANYTLS))) {
            for (String file : group) {
                bundles.add(BundleFiles.file(file));
            }
        }
        framework = OsgiFramework.launch("resolution", null, bundles);
    }

    @AfterEach
    void shutDown() {
        framework.close();
    }

    @Test
    void everyBundleResolvesAndStartsWithOnlyItsDeclaredDependencies() {
        Map<String, String> states = new TreeMap<>();
        for (Bundle bundle : framework.bundles()) {
            if (bundle.getBundleId() == 0) {
                continue;
            }
            int expected = OsgiFramework.isFragment(bundle) ? Bundle.RESOLVED : Bundle.ACTIVE;
            states.put(bundle.getSymbolicName(), bundle.getState() == expected ? "ok" : "state " + bundle.getState());
        }
        assertThat(states).hasSize(BundleFiles.SCR_APIS.size() + BundleFiles.OSGI_SERVICES.size()
                + BundleFiles.NETTY.size() + 2);
        assertThat(states).allSatisfy((name, state) -> assertThat(state).as(name).isEqualTo("ok"));
    }

    @Test
    void theAnyTlsBundleTakesNettyAndTheApiFromTheirBundles() {
        Bundle anyTls = framework.bundle("org.anytls4j.anytls");
        Map<String, String> providers = new TreeMap<>();
        for (BundleWire wire : anyTls.adapt(BundleWiring.class).getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            String pkg = (String) wire.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            providers.put(pkg, wire.getProvider().getSymbolicName());
        }
        assertThat(providers).containsEntry("org.anytls4j.transport.api", "org.anytls4j.transport.api")
                .containsEntry("io.netty.handler.ssl", "io.netty.handler")
                .containsEntry("io.netty.resolver.dns", "io.netty.resolver-dns")
                .containsEntry("io.netty.channel.epoll", "io.netty.transport-classes-epoll")
                .containsEntry("io.netty.internal.tcnative", "io.netty.tcnative-classes");
        assertThat(providers).allSatisfy((pkg, provider) -> assertThat(provider).as(pkg)
                .matches(name -> name.startsWith("io.netty.") || name.equals("org.anytls4j.transport.api")
                        || name.equals("org.osgi.service.cm") || name.equals("system.bundle")
                        || name.equals("org.apache.felix.framework")));
    }

    @Test
    void aClientConfigurationMakesScrPublishTheTransport() throws Exception {
        BundleContext context = framework.context();
        CompletableFuture<ServiceReference<?>> published = new CompletableFuture<>();
        String filter = "(&(objectClass=org.anytls4j.transport.api.OutboundTransport)(transport.name=plain))";
        // An AllServiceListener: a plain one only hears of services whose classes the system bundle shares.
        AllServiceListener listener = event -> published.complete(event.getServiceReference());
        context.addServiceListener(listener, filter);
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("transport.name", "plain");
        properties.put("server", "127.0.0.1:443"); // never dialled: nothing opens a stream here
        properties.put(".password", "pw");

        createFactoryConfiguration(context, "org.anytls4j.anytls.client", "plain", properties);

        ServiceReference<?> reference = published.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(reference.getBundle().getSymbolicName()).isEqualTo("org.anytls4j.anytls");
        assertThat(reference.getProperty("transport.type")).isEqualTo("anytls");
        Object transport = context.getService(reference);
        assertThat(transport).as("the activated component").isNotNull();
        // The one layer between the DS component and the engine is the service object itself.
        assertThat(transport.getClass().getName())
                .isEqualTo("org.anytls4j.anytls.client.ReconfigurableClientTransport");
        context.ungetService(reference);
        context.removeServiceListener(listener);
    }

    @Test
    void aServerConfigurationMakesScrStartAServer() throws Exception {
        try (LogCapture log = LogCapture.of("org.anytls4j")) {
            Path pki = TestPki.write(Path.of(System.getProperty("itests.work", "target/itests-work"),
                    "resolution-pki"));
            ServerConfig config = ServerConfig.of("plain", "alice", "pw", pki);
            CompletableFuture<InetSocketAddress> bound = config.bound(log);

            createFactoryConfiguration(framework.context(), "org.anytls4j.anytls.server", "plain",
                    config.toDictionary());

            InetSocketAddress address = bound.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(address.getAddress().isLoopbackAddress()).isTrue();
            try (Socket client = new Socket(address.getAddress(), address.getPort())) {
                assertThat(client.isConnected()).isTrue();
            }
        }
    }

    /** {@code ConfigurationAdmin.getFactoryConfiguration(pid, alias, "?").update(properties)}, by reflection. */
    private static void createFactoryConfiguration(BundleContext context, String factoryPid, String alias,
                                                   Dictionary<String, Object> properties) throws Exception {
        // By name, with open(true): the test's class space has no ConfigurationAdmin type to check against.
        ServiceTracker<Object, Object> tracker = new ServiceTracker<>(context,
                "org.osgi.service.cm.ConfigurationAdmin", null);
        tracker.open(true);
        Object admin = tracker.waitForService(TIMEOUT.toMillis());
        assertThat(admin).as("Configuration Admin").isNotNull();
        Bundle cm = tracker.getServiceReference().getBundle();
        Class<?> adminType = cm.loadClass("org.osgi.service.cm.ConfigurationAdmin");
        Class<?> configurationType = cm.loadClass("org.osgi.service.cm.Configuration");
        Method get = adminType.getMethod("getFactoryConfiguration", String.class, String.class, String.class);
        Object configuration = get.invoke(admin, factoryPid, alias, "?");
        configurationType.getMethod("update", Dictionary.class).invoke(configuration, properties);
        // The tracker stays open until the framework stops (toolchain pitfall 5).
    }
}
