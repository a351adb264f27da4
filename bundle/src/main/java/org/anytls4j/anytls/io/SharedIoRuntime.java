package org.anytls4j.anytls.io;

/**
 * One {@link IoRuntime} shared by every client transport and server of this bundle, counted by reference: the first
 * {@link #acquire()} starts it, the last {@link #release(IoRuntime)} stops its threads. Components acquire in their
 * activation and release in their deactivation, so a stopped bundle leaves no event-loop thread behind.
 */
public final class SharedIoRuntime {
    private static IoRuntime runtime;
    private static int users;

    private SharedIoRuntime() {
    }

    public static synchronized IoRuntime acquire() {
        if (runtime == null) {
            runtime = IoRuntime.create(IoRuntime.Kind.AUTO, 0, "anytls4j-io");
        }
        users++;
        return runtime;
    }

    /** Gives back what {@link #acquire()} returned; must not run on one of the runtime's own threads. */
    public static void release(IoRuntime released) {
        IoRuntime toClose = null;
        synchronized (SharedIoRuntime.class) {
            if (released != runtime || users == 0) {
                throw new IllegalStateException("releasing an IoRuntime that was not acquired here");
            }
            if (--users == 0) {
                toClose = runtime;
                runtime = null;
            }
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    static synchronized int users() {
        return users;
    }
}
