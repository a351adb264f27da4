package org.anytls4j.testkit;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestLogFileTest {
    @Test
    void logRecordsGoToTheModulesTestLogAndNotToTheConsole() throws Exception {
        Handler[] handlers = Logger.getLogger("").getHandlers();
        List<Class<?>> types = Arrays.stream(handlers).<Class<?>>map(Object::getClass).toList();
        assertTrue(types.contains(FileHandler.class), "the launcher session listener added a file handler: " + types);
        assertFalse(types.contains(ConsoleHandler.class), "and removed the console handler: " + types);

        String marker = "TestLogFileTest marker " + System.nanoTime();
        Logger.getLogger(TestLogFileTest.class.getName()).log(Level.SEVERE, marker, new IllegalStateException("x"));
        Arrays.stream(handlers).forEach(Handler::flush);

        String log = Files.readString(Path.of(TestLogFile.LOG_FILE), StandardCharsets.UTF_8);
        assertTrue(log.contains(marker), "the record is in " + TestLogFile.LOG_FILE);
        assertTrue(log.contains("java.lang.IllegalStateException: x"), "with its stack trace");
    }
}
