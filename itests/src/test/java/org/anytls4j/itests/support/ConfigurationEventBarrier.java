package org.anytls4j.itests.support;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;

import java.io.IOException;
import java.time.Duration;
import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits until Configuration Admin has delivered every configuration event queued so far.
 *
 * <p>Felix Configuration Admin delivers events asynchronously, one after the other, to every listener, SCR's among
 * them. A framework stopped while an event is still queued has SCR handle it with a bundle context that is no longer
 * valid, and Configuration Admin prints "Unexpected problem delivering configuration event" with a stack trace. So
 * before stopping, a test updates a configuration of its own and waits for that event: the events before it have
 * been delivered by then.
 */
final class ConfigurationEventBarrier {
    private static final String PID = "org.anytls4j.itests.barrier";

    private ConfigurationEventBarrier() {
    }

    static void pass(BundleContext context, ConfigurationAdmin admin, Duration bound) {
        CountDownLatch delivered = new CountDownLatch(1);
        ConfigurationListener listener = event -> {
            if (PID.equals(event.getPid()) && event.getType() == ConfigurationEvent.CM_UPDATED) {
                delivered.countDown();
            }
        };
        ServiceRegistration<ConfigurationListener> registration =
                context.registerService(ConfigurationListener.class, listener, null);
        try {
            Configuration barrier = admin.getConfiguration(PID, "?");
            Hashtable<String, Object> properties = new Hashtable<>();
            properties.put("nonce", System.nanoTime());
            barrier.update(properties);
            if (!delivered.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Configuration Admin delivered no event within " + bound);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot update the barrier configuration " + PID, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for configuration events", e);
        } finally {
            registration.unregister();
        }
    }
}
