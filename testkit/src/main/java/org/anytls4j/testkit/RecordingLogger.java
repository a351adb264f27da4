package org.anytls4j.testkit;

import java.text.MessageFormat;
import java.util.List;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A {@link System.Logger} that keeps every message it is given, at every level, as the text a reader would see:
 * a format with parameters is formatted, one without is kept as is (so quotes in it survive).
 */
public final class RecordingLogger implements System.Logger {
    private final List<String> lines;

    /** Records into a list of its own; see {@link #lines()}. */
    public RecordingLogger() {
        this(new CopyOnWriteArrayList<>());
    }

    /** Records into {@code lines}, which the test owns. */
    public RecordingLogger(List<String> lines) {
        this.lines = Objects.requireNonNull(lines, "lines");
    }

    /** The messages so far, oldest first; live. */
    public List<String> lines() {
        return lines;
    }

    @Override
    public String getName() {
        return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        lines.add(msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        lines.add(params == null || params.length == 0 ? format : MessageFormat.format(format, params));
    }

    @Override
    public void log(Level level, Supplier<String> supplier) {
        lines.add(supplier.get());
    }
}
