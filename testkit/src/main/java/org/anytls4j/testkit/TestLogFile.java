package org.anytls4j.testkit;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sends what the code under test logs ({@code System.Logger} and Netty both end in {@code java.util.logging} here)
 * to {@value #LOG_FILE} of the module instead of the console.
 *
 * <p>Many tests provoke errors on purpose and assert on them; their log records, stack traces included, would
 * otherwise bury the build output. The file keeps them for a failing test. A JVM started with
 * {@code -Djava.util.logging.config.file=...} keeps its own configuration.
 */
public final class TestLogFile implements LauncherSessionListener {
    static final String LOG_FILE = "target/test.log";
    private static final String CONFIG_FILE_PROPERTY = "java.util.logging.config.file";

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if (System.getProperty(CONFIG_FILE_PROPERTY) == null) {
            redirect(Path.of(LOG_FILE));
        }
    }

    static synchronized void redirect(Path file) {
        LogManager.getLogManager().reset(); // drops the console handler of the JDK's default configuration
        Logger root = Logger.getLogger("");
        root.setLevel(Level.INFO);
        if (!Files.isDirectory(file.toAbsolutePath().getParent())) {
            return; // not run from a module directory (an IDE, say): stay quiet rather than fail
        }
        try {
            FileHandler handler = new FileHandler(file.toString(), true);
            handler.setFormatter(new SimpleFormatter());
            handler.setLevel(Level.ALL);
            root.addHandler(handler);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the test log " + file.toAbsolutePath(), e);
        }
    }
}
