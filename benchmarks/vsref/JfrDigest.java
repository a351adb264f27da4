import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A plain-text digest of a JFR recording (JDK 17's jfr tool has no 'view'): hot methods (self and inclusive),
 * allocation sites, where threads block, CPU per thread (user and system), and which TLS engine and transport
 * were in use.
 */
final class JfrDigest {
    private final Map<String, Long> selfSamples = new HashMap<>();
    private final Map<String, Long> inclusiveSamples = new HashMap<>();
    private final Map<String, Long> projectInclusiveSamples = new HashMap<>();
    private final Map<String, Long> samplesByThread = new HashMap<>();
    private final Map<String, Long> nativeTops = new HashMap<>();
    private final Map<String, Long> allocationBySite = new HashMap<>();
    private final Map<String, Long> allocationByClass = new HashMap<>();
    private final Map<String, Long> blockedNanosBySite = new HashMap<>();
    private final Map<String, Long> throwsBySite = new HashMap<>();
    private final Map<String, double[]> cpuByThread = new HashMap<>();
    private final Set<String> typesOnStacks = new HashSet<>();
    private final double[] jvmCpu = new double[3];
    private long executionSamples;
    private long allocationWeight;

    static void print(Path recording, int top) throws IOException {
        JfrDigest digest = new JfrDigest();
        for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
            digest.accept(event);
        }
        digest.report(top);
    }

    private void accept(RecordedEvent event) {
        RecordedStackTrace stack = event.getStackTrace();
        if (stack != null) {
            stack.getFrames().forEach(frame -> typesOnStacks.add(frame.getMethod().getType().getName()));
        }
        switch (event.getEventType().getName()) {
            case "jdk.ExecutionSample" -> execution(event);
            case "jdk.NativeMethodSample" -> {
                String thread = threadName(event.getThread("sampledThread"));
                if (thread.startsWith("anytls4j-io") || thread.startsWith("anytls4j-host-demo")) {
                    add(nativeTops, topFrame(event.getStackTrace()), 1);
                }
            }
            case "jdk.ObjectAllocationSample" -> allocation(event);
            case "jdk.JavaMonitorEnter", "jdk.ThreadPark" ->
                    add(blockedNanosBySite, event.getEventType().getName().substring(4) + " at "
                            + firstApplicationFrame(event.getStackTrace()), event.getDuration().toNanos());
            case "jdk.ThreadCPULoad" -> threadCpu(event);
            case "jdk.JavaExceptionThrow" -> add(throwsBySite, event.getClass("thrownClass").getName() + " from "
                    + firstApplicationFrame(event.getStackTrace()), 1);
            case "jdk.CPULoad" -> {
                jvmCpu[0] += event.getFloat("jvmUser");
                jvmCpu[1] += event.getFloat("jvmSystem");
                jvmCpu[2]++;
            }
            default -> {
            }
        }
    }

    private void execution(RecordedEvent event) {
        executionSamples++;
        RecordedStackTrace stack = event.getStackTrace();
        add(selfSamples, topFrame(stack), 1);
        add(samplesByThread, threadName(event.getThread("sampledThread")), 1);
        if (stack != null) {
            Set<String> seen = new HashSet<>();
            for (RecordedFrame frame : stack.getFrames()) {
                String method = method(frame);
                if (seen.add(method)) {
                    add(inclusiveSamples, method, 1);
                    if (method.startsWith("org.anytls4j.")) {
                        add(projectInclusiveSamples, method, 1);
                    }
                }
            }
        }
    }

    private void allocation(RecordedEvent event) {
        long weight = event.getLong("weight");
        allocationWeight += weight;
        add(allocationBySite, firstApplicationFrame(event.getStackTrace()), weight);
        add(allocationByClass, event.getClass("objectClass").getName(), weight);
    }

    private void threadCpu(RecordedEvent event) {
        double[] cpu = cpuByThread.computeIfAbsent(threadName(event.getThread("eventThread")), k -> new double[3]);
        cpu[0] += event.getFloat("user");
        cpu[1] += event.getFloat("system");
        cpu[2]++;
    }

    private void report(int top) {
        System.out.printf(Locale.ROOT, "execution samples: %d (Java code only; time in the kernel is not sampled)%n",
                executionSamples);
        if (jvmCpu[2] > 0) {
            double user = jvmCpu[0] / jvmCpu[2];
            double system = jvmCpu[1] / jvmCpu[2];
            System.out.printf(Locale.ROOT, "JVM CPU (jdk.CPULoad, share of the machine): user %.1f %%, system %.1f %%,"
                    + " system share of the JVM's CPU %.0f %%%n", 100 * user, 100 * system,
                    100 * system / Math.max(1e-9, user + system));
        }
        table("busiest threads (mean CPU of one core: user / system)", cpuByThread, top,
                cpu -> String.format(Locale.ROOT, "%5.1f %% / %5.1f %%", 100 * cpu[0] / cpu[2], 100 * cpu[1] / cpu[2]),
                cpu -> -(cpu[0] + cpu[1]) / cpu[2]);
        counts("samples by thread", samplesByThread, executionSamples, top);
        counts("hot methods, self (top frame)", selfSamples, executionSamples, top);
        counts("hot methods, inclusive (on the stack)", inclusiveSamples, executionSamples, top);
        counts("anytls4j methods, inclusive", projectInclusiveSamples, executionSamples, top);
        counts("native methods of the transport and ./run host threads (top frame; epoll wait = idle)", nativeTops,
                nativeTops.values().stream().mapToLong(Long::longValue).sum(), top);
        counts("allocation by site (first frame outside java.*/jdk.*, by sampled weight)", allocationBySite,
                allocationWeight, top);
        counts("allocation by class", allocationByClass, allocationWeight, top);
        table("blocking (park / monitor, above JFR's threshold), total time", blockedNanosBySite, top,
                nanos -> String.format(Locale.ROOT, "%9.1f ms", nanos / 1e6), nanos -> -(double) nanos);
        counts("exceptions thrown (jdk.JavaExceptionThrow, count; percent of all)", throwsBySite,
                throwsBySite.values().stream().mapToLong(Long::longValue).sum(), top);
        System.out.printf("exceptions thrown in total: %d%n", throwsBySite.values().stream().mapToLong(Long::longValue).sum());
        System.out.printf("%nengines seen on the stacks: %s%n", engines());
    }

    /** Which TLS engine and which transport ran, from the classes seen on any recorded stack. */
    private String engines() {
        List<String> markers = List.of("io.netty.handler.ssl.ReferenceCountedOpenSslEngine",
                "sun.security.ssl.SSLEngineImpl", "io.netty.channel.epoll.", "io.netty.channel.nio.");
        StringBuilder seen = new StringBuilder();
        for (String marker : markers) {
            boolean present = typesOnStacks.stream().anyMatch(type -> type.startsWith(marker));
            seen.append(seen.length() == 0 ? "" : ", ").append(marker).append(present ? " yes" : " no");
        }
        return seen.toString();
    }

    private static void counts(String title, Map<String, Long> counts, long total, int top) {
        table(title, counts, top, n -> String.format(Locale.ROOT, "%6.2f %%", 100.0 * n / Math.max(1, total)),
                n -> -(double) n);
    }

    private static <V> void table(String title, Map<String, V> values, int top, Function<V, String> format,
                                  Function<V, Double> order) {
        System.out.printf("%n%s%n", title);
        values.entrySet().stream().sorted((a, b) -> Double.compare(order.apply(a.getValue()), order.apply(b.getValue())))
                .limit(top).forEach(e -> System.out.printf("  %s  %s%n", format.apply(e.getValue()), e.getKey()));
    }

    private static void add(Map<String, Long> map, String key, long amount) {
        map.merge(key, amount, Long::sum);
    }

    private static String topFrame(RecordedStackTrace stack) {
        return stack == null || stack.getFrames().isEmpty() ? "(no stack)" : method(stack.getFrames().get(0));
    }

    /** Skips the JDK's own frames, so that an allocation or a park is charged to the code that caused it. */
    private static String firstApplicationFrame(RecordedStackTrace stack) {
        if (stack == null) {
            return "(no stack)";
        }
        for (RecordedFrame frame : stack.getFrames()) {
            String type = frame.getMethod().getType().getName();
            if (!type.startsWith("java.") && !type.startsWith("jdk.") && !type.startsWith("sun.")) {
                return method(frame);
            }
        }
        return topFrame(stack);
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String threadName(RecordedThread thread) {
        // event-loop threads differ only in their index: one row per pool
        return thread == null ? "(unknown)" : thread.getJavaName() == null ? thread.getOSName()
                : thread.getJavaName().replaceAll("-\\d+$", "-N");
    }
}
