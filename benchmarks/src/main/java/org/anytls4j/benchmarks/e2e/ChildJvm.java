package org.anytls4j.benchmarks.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ServeMain} in its own JVM, from the harness's own class path. A child never outlives the harness: closing
 * it closes its stdin (it exits on end of input) and kills it if it has not exited within a few seconds; a shutdown
 * hook kills whatever is still running when the harness exits early; and a harness killed outright closes the
 * children's stdin with its death, so they exit on their own.
 */
final class ChildJvm implements AutoCloseable {
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Duration EXIT_GRACE = Duration.ofSeconds(10);

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly),
                "bench-child-reaper"));
    }

    private final String name;
    private final Process process;
    private final OutputStream commands;
    /** Lines of the child's stdout, read by a daemon thread so that every wait for one can be bounded. */
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Duration startTimeout;
    private int port = -1;

    private ChildJvm(String name, List<String> arguments, Duration startTimeout) throws IOException {
        this.name = name;
        this.startTimeout = startTimeout;
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // A fixed heap, like the harness's own, so that what a child reports does not depend on default sizing.
        command.addAll(List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"),
                ServeMain.class.getName()));
        command.addAll(arguments);
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        LIVE.add(process);
        commands = process.getOutputStream();
        Thread reader = new Thread(this::readLines, "bench-child-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a child; it listens once {@link #port()} returns (children start in parallel that way). */
    static ChildJvm start(String name, List<String> arguments) throws IOException {
        return new ChildJvm(name, arguments, Duration.ofSeconds(60));
    }

    /** The port the child listens on, on 127.0.0.1; waits (bounded) until it does. */
    int port() throws InterruptedException {
        if (port < 0) {
            port = Integer.parseInt(nextLine("port", startTimeout).substring("port ".length()).trim());
        }
        return port;
    }

    /** The child's used heap after full GCs, and Netty's pooled direct memory in use there: {heap, direct}. */
    long[] heap() throws IOException, InterruptedException {
        commands.write("heap\n".getBytes(StandardCharsets.US_ASCII));
        commands.flush();
        String[] reply = nextLine("heap", Duration.ofSeconds(60)).split(" ");
        return new long[] {Long.parseLong(reply[1]), Long.parseLong(reply[2])};
    }

    private String nextLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                throw new IllegalStateException("child '" + name + "' sent no '" + prefix + "' line within " + timeout
                        + (process.isAlive() ? "" : "; it exited with " + process.exitValue()));
            }
            if (line.startsWith(prefix + " ")) {
                return line;
            }
            // Anything else on stdout (a library's banner) is not for us.
        }
    }

    private void readLines() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException ended) {
            // The child is gone; whoever waits for a line times out with the exit status.
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            commands.close();
        } catch (IOException alreadyGone) {
            // It exited already: nothing to tell it.
        }
        if (!process.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        }
        LIVE.remove(process);
    }
}
