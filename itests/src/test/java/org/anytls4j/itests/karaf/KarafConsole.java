package org.anytls4j.itests.karaf;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Karaf shell commands through {@code bin/client} (SSH to the console on 127.0.0.1). The commands are piped
 * into the client's standard input: given as arguments with standard input at its end, the client runs nothing.
 */
final class KarafConsole {
    /** Karaf's console reports a failed command with this prefix (and the client still exits 0 in batch mode). */
    static final String COMMAND_ERROR = "Error executing command";
    private static final Duration CLIENT_TIMEOUT = Duration.ofMinutes(2);

    private final KarafHome home;
    private final int sshPort;
    private final String user;
    private final String password;
    private final Path transcript;

    KarafConsole(KarafHome home, int sshPort, String user, String password, Path transcript) {
        this.home = home;
        this.sshPort = sshPort;
        this.user = user;
        this.password = password;
        this.transcript = transcript;
    }

    /**
     * Runs the commands in one console session and returns everything the session printed. The client retries
     * connecting for up to 60 s, so this also waits for a console that is still starting.
     */
    String run(String... commands) {
        ProcessBuilder builder = new ProcessBuilder(home.path().resolve("bin/client").toString(),
                "-b", "-h", "127.0.0.1", "-a", Integer.toString(sshPort), "-u", user, "-p", password,
                "-r", "60", "-d", "1")
                .directory(home.path().toFile())
                .redirectErrorStream(true);
        Path output = transcript.resolveSibling("console-output.txt");
        builder.redirectOutput(output.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        List.of("JAVA_OPTS", "EXTRA_JAVA_OPTS", "JAVA_TOOL_OPTIONS").forEach(builder.environment()::remove);
        try {
            Process client = builder.start();
            try (OutputStream in = client.getOutputStream()) {
                in.write((String.join("\n", commands) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            if (!client.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                client.destroyForcibly();
                throw new IllegalStateException("bin/client did not finish " + List.of(commands) + " within "
                        + CLIENT_TIMEOUT);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            record(commands, client.exitValue(), text);
            if (client.exitValue() != 0) {
                throw new IllegalStateException("bin/client exited with " + client.exitValue() + " running "
                        + List.of(commands) + ": " + text);
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + home.path().resolve("bin/client"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + List.of(commands), e);
        }
    }

    /** Keeps every session in a file next to Karaf's log, for whoever reads a failed build. */
    private void record(String[] commands, int exit, String output) {
        String entry = Instant.now() + " $ " + String.join(" ; ", commands) + "   (exit " + exit + ")\n"
                + output + "\n";
        try {
            Files.writeString(transcript, entry, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + transcript, e);
        }
    }
}
