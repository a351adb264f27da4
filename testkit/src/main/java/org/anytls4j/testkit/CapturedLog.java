package org.anytls4j.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The records one logger (and its children) writes while open, for tests that assert what an operator would read.
 * {@code System.Logger} ends in {@code java.util.logging} in tests, so the logger name is the class name.
 */
public final class CapturedLog implements AutoCloseable {
    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private CapturedLog(String loggerName) {
        this.logger = Logger.getLogger(loggerName);
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    public static CapturedLog of(Class<?> type) {
        return new CapturedLog(type.getName());
    }

    public static CapturedLog of(String loggerName) {
        return new CapturedLog(loggerName);
    }

    /** The records at {@code level}, each with its message formatted as a log file would show it. */
    public List<String> messages(Level level) {
        return records.stream().filter(r -> r.getLevel().equals(level))
                .map(r -> new java.util.logging.SimpleFormatter().formatMessage(r))
                .collect(Collectors.toList());
    }

    /** Whether any record carries a throwable, which a log file would show as a stack trace. */
    public boolean anyStackTrace() {
        return records.stream().anyMatch(r -> r.getThrown() != null);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
