package org.anytls4j.itests.karaf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Karaf started as a child process of the test JVM, and its guaranteed end: {@link #stop} asks Karaf to shut
 * down, waits a bounded time, then kills the whole process tree; a JVM shutdown hook does the killing should the
 * test JVM end without {@link #stop} (a crashed or interrupted build must not leave a Karaf holding ports).
 */
final class KarafProcess {
    private static final System.Logger LOG = System.getLogger(KarafProcess.class.getName());
    private static final Duration ORDERLY_STOP = Duration.ofSeconds(30);
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

    private final KarafHome home;
    private final Process process;
    private final Thread killOnExit;

    private KarafProcess(KarafHome home, Process process) {
        this.home = home;
        this.process = process;
        this.killOnExit = new Thread(this::killTree, "kill Karaf " + process.pid());
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts {@code bin/karaf daemon}, which execs the JVM, so the child process is Karaf itself. Its standard
     * output goes to {@code stdout}; Karaf's own log is {@link KarafHome#log}.
     */
    static KarafProcess start(KarafHome home, Path stdout) {
        return start(home, stdout, Map.of());
    }

    /**
     * Like {@link #start(KarafHome, Path)}, with {@code extraEnvironment} added to Karaf's environment: how a test
     * hands secrets to Configuration Admin's {@code $[env:NAME]} interpolation instead of writing them into etc/.
     */
    static KarafProcess start(KarafHome home, Path stdout, Map<String, String> extraEnvironment) {
        ProcessBuilder builder = new ProcessBuilder(home.path().resolve("bin/karaf").toString(), "daemon")
                .directory(home.path().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()));
        Map<String, String> environment = builder.environment();
        // The JDK running the tests runs Karaf too; options meant for the test JVM (a debugger, an agent) do not.
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        List.of("JAVA_OPTS", "EXTRA_JAVA_OPTS", "KARAF_OPTS", "JAVA_TOOL_OPTIONS", "KARAF_DEBUG", "KARAF_HOME",
                "KARAF_BASE", "KARAF_DATA", "KARAF_ETC").forEach(environment::remove);
        environment.putAll(extraEnvironment);
        try {
            Files.createDirectories(stdout.getParent());
            Process process = builder.start();
            process.getOutputStream().close(); // the server reads no input
            return new KarafProcess(home, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + home.path().resolve("bin/karaf"), e);
        }
    }

    /**
     * Kills a Karaf that an earlier test run started in {@code home} and could not stop (its JVM was killed with
     * SIGKILL, so neither {@link #stop} nor the shutdown hook ran). Only a process whose command line names
     * {@code home} is touched; the pid file alone could name an unrelated process by now.
     */
    static void killLeftover(Path home) {
        Path pidFile = home.resolve("karaf.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return; // no usable pid: nothing we could identify as ours
        }
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(leftover -> {
            String commandLine = leftover.info().commandLine().orElse("");
            boolean ours = commandLine.contains("-Dkaraf.home=" + home)
                    || commandLine.contains("-Dkaraf.home=" + realPath(home));
            if (!ours) {
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "killing Karaf pid {0} left running in {1} by an earlier run",
                    Long.toString(pid), home);
            leftover.descendants().forEach(ProcessHandle::destroyForcibly);
            leftover.destroyForcibly();
            try {
                leftover.onExit().get(KILL_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Karaf pid " + pid + " left running in " + home
                        + " by an earlier run does not end; stop it by hand", e);
            }
        });
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** This process and every process it started that still runs. */
    List<ProcessHandle> processTree() {
        return Stream.concat(Stream.of(process.toHandle()), process.descendants())
                .filter(ProcessHandle::isAlive)
                .toList();
    }

    /**
     * Stops Karaf with {@code bin/stop} (its shutdown port), waits up to 30 s, then kills what is left of the
     * process tree. Returns whether Karaf stopped in order, without being killed.
     */
    boolean stop() {
        if (!process.isAlive()) {
            removeHook();
            return true;
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        boolean orderly = false;
        try {
            Process stop = new ProcessBuilder(home.path().resolve("bin/stop").toString())
                    .directory(home.path().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            stop.getOutputStream().close();
            if (!stop.waitFor(ORDERLY_STOP.toSeconds(), TimeUnit.SECONDS)) {
                stop.destroyForcibly();
            }
            orderly = process.waitFor(ORDERLY_STOP.toSeconds(), TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "bin/stop failed; killing Karaf", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!orderly) {
            LOG.log(System.Logger.Level.WARNING, "Karaf (pid {0}) did not stop within {1}; killing it",
                    process.pid(), ORDERLY_STOP);
        }
        killTree(descendants);
        removeHook();
        return orderly;
    }

    private void killTree() {
        killTree(process.descendants().toList());
    }

    private void killTree(List<ProcessHandle> knownDescendants) {
        // Descendants first: once Karaf is gone its children are re-parented and no longer listed as descendants.
        knownDescendants.forEach(ProcessHandle::destroyForcibly);
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.onExit().get(KILL_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.ERROR, "Karaf (pid {0}) still runs after being killed", process.pid());
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
