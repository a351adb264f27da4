package org.anytls4j.itests.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what the bundles log under one logger name prefix. The bundles log through {@code System.Logger}, which
 * in a plain framework (no logging bridge installed) ends in {@code java.util.logging} of the JVM, shared by the
 * test and every framework it launches.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger; // held: java.util.logging keeps loggers only weakly
    private final Level previousLevel;
    private final List<LogRecord> records = new ArrayList<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            received(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture(String loggerName) {
        logger = Logger.getLogger(loggerName);
        handler.setLevel(Level.ALL);
        previousLevel = logger.getLevel();
        // DEBUG records too, so that a failing test can show them; the console handler still prints INFO and up.
        logger.setLevel(Level.ALL);
        logger.addHandler(handler);
    }

    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** A record's message with its parameters filled in, as a log file would show it. */
    public static String text(LogRecord record) {
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        if (parameters != null && message != null) {
            message = java.text.MessageFormat.format(message, parameters);
        }
        return record.getLevel() + " " + record.getLoggerName() + ": " + message;
    }

    /** Completes with the first record, past or future, that {@code match} accepts. */
    public synchronized CompletableFuture<LogRecord> first(Predicate<LogRecord> match) {
        CompletableFuture<LogRecord> found = new CompletableFuture<>();
        for (LogRecord record : records) {
            if (match.test(record)) {
                found.complete(record);
                return found;
            }
        }
        waiters.add(new Waiter(match, found));
        return found;
    }

    /** Completes with the first record from now on that {@code match} accepts (for an event that can recur). */
    public synchronized CompletableFuture<LogRecord> next(Predicate<LogRecord> match) {
        CompletableFuture<LogRecord> found = new CompletableFuture<>();
        waiters.add(new Waiter(match, found));
        return found;
    }

    public synchronized List<String> texts() {
        return records.stream().map(LogCapture::text).toList();
    }

    /** The stack traces among the records: what a log file would show below a line. */
    public synchronized List<Throwable> thrown() {
        return records.stream().map(LogRecord::getThrown).filter(java.util.Objects::nonNull).toList();
    }

    public synchronized void clear() {
        records.clear();
    }

    private synchronized void received(LogRecord record) {
        records.add(record);
        waiters.removeIf(waiter -> {
            if (waiter.match.test(record)) {
                waiter.found.complete(record);
                return true;
            }
            return false;
        });
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(previousLevel);
    }

    private record Waiter(Predicate<LogRecord> match, CompletableFuture<LogRecord> found) {
    }
}
