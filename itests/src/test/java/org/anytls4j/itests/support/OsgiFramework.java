package org.anytls4j.itests.support;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real OSGi framework (whichever {@link FrameworkFactory} is on the class path: Felix here) launched inside the
 * test JVM with a fresh storage directory, its bundles installed from jar files and started.
 */
public final class OsgiFramework implements AutoCloseable {
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Framework framework;
    private final ServiceAccess services;

    private OsgiFramework(Framework framework) {
        this.framework = framework;
        this.services = new ServiceAccess(framework.getBundleContext());
    }

    /**
     * Starts a framework, installs {@code bundles} (in order) and starts every one that is not a fragment.
     *
     * @param systemPackagesExtra export clauses of the system bundle, or null for none
     */
    public static OsgiFramework launch(String name, String systemPackagesExtra, List<Path> bundles)
            throws BundleException {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage(name).toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        if (systemPackagesExtra != null) {
            config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, systemPackagesExtra);
        }
        // Felix prints its own errors (resolution failures) to stdout, which lands in the test report.
        config.put("felix.log.level", "1");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("no OSGi FrameworkFactory on the class path"));
        Framework framework = factory.newFramework(config);
        framework.start();
        OsgiFramework launched = new OsgiFramework(framework);
        try {
            BundleContext context = framework.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (Path bundle : bundles) {
                installed.add(context.installBundle(bundle.toUri().toString()));
            }
            for (Bundle bundle : installed) {
                if (!isFragment(bundle)) {
                    bundle.start();
                }
            }
        } catch (BundleException | RuntimeException e) {
            launched.close();
            throw e;
        }
        return launched;
    }

    private static Path storage(String name) {
        String work = System.getProperty("itests.work", "target/itests-work");
        try {
            Path dir = Path.of(work).toAbsolutePath();
            Files.createDirectories(dir);
            return Files.createTempDirectory(dir, name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the framework storage under " + work, e);
        }
    }

    public static boolean isFragment(Bundle bundle) {
        return bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
    }

    public BundleContext context() {
        return framework.getBundleContext();
    }

    public ServiceAccess services() {
        return services;
    }

    public Bundle[] bundles() {
        return context().getBundles();
    }

    /** The installed bundle with this symbolic name. */
    public Bundle bundle(String symbolicName) {
        for (Bundle bundle : bundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) {
                return bundle;
            }
        }
        throw new IllegalArgumentException("no bundle " + symbolicName + " is installed");
    }

    /**
     * Refreshes {@code bundles} and waits for the refresh to finish (it runs asynchronously, toolchain pitfall 5).
     */
    public void refresh(Collection<Bundle> bundles, Duration timeout) throws Exception {
        CompletableFuture<FrameworkEvent> done = new CompletableFuture<>();
        framework.adapt(FrameworkWiring.class).refreshBundles(bundles, done::complete);
        FrameworkEvent event = done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event.getType() != FrameworkEvent.PACKAGES_REFRESHED) {
            throw new IllegalStateException("refresh failed: " + event.getType(), event.getThrowable());
        }
    }

    /** Stops the framework and waits (bounded) until every bundle has stopped. */
    @Override
    public void close() {
        services.close();
        try {
            framework.stop();
            FrameworkEvent stopped = framework.waitForStop(STOP_TIMEOUT.toMillis());
            if (stopped.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                throw new IllegalStateException("the framework did not stop within " + STOP_TIMEOUT);
            }
        } catch (BundleException e) {
            throw new IllegalStateException("cannot stop the framework", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the framework", e);
        }
    }
}
