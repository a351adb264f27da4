package org.anytls4j.anytls.client.pool;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A session that records how it was closed, in its own list and in a log shared by all sessions of a test. */
final class FakeSession implements PooledSession {

    private final String name;
    private final List<String> sharedLog;
    private final List<CloseCause> closeCalls = new CopyOnWriteArrayList<>();
    private volatile boolean usable = true;

    FakeSession(String name, List<String> sharedLog) {
        this.name = name;
        this.sharedLog = sharedLog;
    }

    @Override
    public boolean isUsable() {
        return usable && closeCalls.isEmpty();
    }

    @Override
    public void close(CloseCause cause) {
        closeCalls.add(cause);
        sharedLog.add("close " + name + " " + cause);
    }

    /** Simulates a connection that died without anyone being told. */
    void breakSilently() {
        usable = false;
    }

    List<CloseCause> closeCalls() {
        return closeCalls;
    }

    boolean isClosed() {
        return !closeCalls.isEmpty();
    }

    String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
