package org.anytls4j.itests.support;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Bounded waits for services of one framework, through the system bundle's context.
 *
 * <p>Trackers stay open until {@link #close()}: closing a tracker ungets its services, which can drop an object
 * the test still holds (toolchain pitfall 5).
 */
public final class ServiceAccess implements AutoCloseable {
    private final BundleContext context;
    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    ServiceAccess(BundleContext context) {
        this.context = context;
    }

    /** The service of {@code type} matching {@code filter} (or any, if null), waiting up to {@code timeout}. */
    public <T> T await(Class<T> type, String filter, Duration timeout) throws InterruptedException {
        ServiceTracker<T, T> tracker = tracker(type, filter);
        T service = tracker.waitForService(timeout.toMillis());
        if (service == null) {
            throw new AssertionError("no " + type.getSimpleName() + " service" + (filter == null ? "" : " matching "
                    + filter) + " appeared within " + timeout);
        }
        return service;
    }

    /** The reference of the service {@link #await} would return. */
    public <T> ServiceReference<T> awaitReference(Class<T> type, String filter, Duration timeout)
            throws InterruptedException {
        ServiceTracker<T, T> tracker = tracker(type, filter);
        if (tracker.waitForService(timeout.toMillis()) == null) {
            throw new AssertionError("no " + type.getSimpleName() + " service matching " + filter
                    + " appeared within " + timeout);
        }
        return tracker.getServiceReference();
    }

    /** References registered now, without waiting. */
    public <T> List<ServiceReference<T>> references(Class<T> type, String filter) {
        try {
            return new ArrayList<>(context.getServiceReferences(type, filter));
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad filter " + filter, e);
        }
    }

    /**
     * A reference to a service of {@code type} matching {@code filter}, registered now or once it is registered or
     * its properties change to match. Unlike a tracker this never calls {@code getService}, so it does not
     * activate a delayed DS component.
     */
    public <T> ServiceReference<T> awaitMatching(Class<T> type, String filter, Duration timeout) throws Exception {
        CompletableFuture<ServiceReference<?>> found = new CompletableFuture<>();
        String text = "(&(" + Constants.OBJECTCLASS + "=" + type.getName() + ")" + filter + ")";
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.REGISTERED || event.getType() == ServiceEvent.MODIFIED) {
                found.complete(event.getServiceReference());
            }
        };
        context.addServiceListener(listener, text);
        try {
            List<ServiceReference<T>> now = references(type, filter);
            if (!now.isEmpty()) {
                return now.get(0);
            }
            @SuppressWarnings("unchecked")
            ServiceReference<T> reference = (ServiceReference<T>) found.get(timeout.toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS);
            return reference;
        } finally {
            context.removeServiceListener(listener);
        }
    }

    /**
     * Completes when the service behind {@code reference} is unregistered. Call before the action that should
     * unregister it; completes at once if it already is.
     */
    public CompletableFuture<Void> unregistration(ServiceReference<?> reference) {
        CompletableFuture<Void> gone = new CompletableFuture<>();
        Object id = reference.getProperty(Constants.SERVICE_ID);
        ServiceListener listener = event -> {
            if (event.getType() == ServiceEvent.UNREGISTERING) {
                gone.complete(null);
            }
        };
        try {
            context.addServiceListener(listener, "(" + Constants.SERVICE_ID + "=" + id + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        gone.whenComplete((ignored, error) -> context.removeServiceListener(listener));
        if (reference.getBundle() == null) { // already unregistered
            gone.complete(null);
        }
        return gone;
    }

    private <T> ServiceTracker<T, T> tracker(Class<T> type, String filter) {
        Filter combined;
        String text = "(" + Constants.OBJECTCLASS + "=" + type.getName() + ")";
        if (filter != null) {
            text = "(&" + text + filter + ")";
        }
        try {
            combined = FrameworkUtil.createFilter(text);
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad filter " + filter, e);
        }
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, combined, null);
        tracker.open(true);
        synchronized (trackers) {
            trackers.add(tracker);
        }
        return tracker;
    }

    @Override
    public void close() {
        synchronized (trackers) {
            for (ServiceTracker<?, ?> tracker : trackers) {
                tracker.close();
            }
            trackers.clear();
        }
    }
}
