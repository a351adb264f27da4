package org.anytls4j.itests.karaf;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Reads the tables and "key : value" reports the console printed. */
final class ConsoleTables {
    /** Table columns of the console: '|' in batch mode (no terminal), '│' on a terminal. */
    private static final Pattern COLUMN = Pattern.compile("[|│]");

    private ConsoleTables() {
    }

    /** The cells of the first table row whose first cell is {@code key}, trimmed. */
    static List<String> row(String output, String key) {
        return output.lines()
                .map(line -> Arrays.stream(COLUMN.split(line)).map(String::trim).toList())
                .filter(cells -> cells.size() > 1 && cells.get(0).equals(key))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no row '" + key + "' in:\n" + output));
    }

    /** The value of {@code key : value} in a report. */
    static String value(String output, String key) {
        return output.lines()
                .filter(line -> line.matches("^" + Pattern.quote(key) + "\\s+: .*"))
                .map(line -> line.substring(line.indexOf(" : ") + 3).trim())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no '" + key + "' in:\n" + output));
    }

    /** The two numbers of an {@code a / b} cell. */
    static long[] pair(String cell) {
        String[] parts = cell.split("/");
        if (parts.length != 2) {
            throw new AssertionError("not an 'a / b' cell: " + cell);
        }
        return new long[] {Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim())};
    }
}
