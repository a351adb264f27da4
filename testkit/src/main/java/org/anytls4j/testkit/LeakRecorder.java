package org.anytls4j.testkit;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * Collects every leak Netty's {@link ResourceLeakDetector} reports in this JVM, so a test can fail on it.
 *
 * <p>Netty only logs leaks; a log line does not fail a build. This recorder replaces the detector factory
 * (it must be installed before the first {@code ByteBuf} class initialises, which is why
 * {@link LeakCheckSessionListener} installs it when the JUnit launcher session opens) with one whose
 * detectors also remember each report.
 */
public final class LeakRecorder {
    private static final List<String> LEAKS = new ArrayList<>();
    private static volatile boolean installed;

    private LeakRecorder() {
    }

    /** Installs the recording factory once per JVM; later calls do nothing. */
    public static synchronized void install() {
        if (installed) {
            return;
        }
        installed = true;
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    public static boolean isInstalled() {
        return installed;
    }

    /**
     * Collects garbage, makes the detectors poll their reference queues, and returns (and forgets) what they
     * reported since the last call.
     */
    public static List<String> collectLeaks() {
        for (int round = 0; round < 3; round++) {
            forceGarbageCollection();
            triggerLeakPolling();
        }
        synchronized (LEAKS) {
            List<String> found = new ArrayList<>(LEAKS);
            LEAKS.clear();
            return found;
        }
    }

    private static void forceGarbageCollection() {
        WeakReference<Object> sentinel = new WeakReference<>(new Object());
        for (int i = 0; i < 20 && sentinel.get() != null; i++) {
            System.gc();
        }
        System.runFinalization();
    }

    /** Detectors only look at their queue when a new resource is tracked: track a few. */
    private static void triggerLeakPolling() {
        for (int i = 0; i < 64; i++) {
            ByteBuf pooled = PooledByteBufAllocator.DEFAULT.directBuffer(1);
            pooled.release();
            ByteBuf unpooled = UnpooledByteBufAllocator.DEFAULT.directBuffer(1);
            unpooled.release();
        }
    }

    static void record(String report) {
        synchronized (LEAKS) {
            LEAKS.add(report);
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                   long maxActive) {
            return new RecordingDetector<>(resource, samplingInterval);
        }
    }

    private static final class RecordingDetector<T> extends ResourceLeakDetector<T> {
        RecordingDetector(Class<T> resource, int samplingInterval) {
            super(resource, samplingInterval);
        }

        @Override
        protected void reportTracedLeak(String resourceType, String records) {
            record(resourceType + " leaked:" + records);
            super.reportTracedLeak(resourceType, records);
        }

        @Override
        protected void reportUntracedLeak(String resourceType) {
            record(resourceType + " leaked (no records)");
            super.reportUntracedLeak(resourceType);
        }
    }
}
