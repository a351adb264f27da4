package org.anytls4j.management.shell;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.anytls4j.management.model.Table;
import org.apache.karaf.shell.support.table.ShellTable;

/** Prints the model's tables as Karaf ShellTables and its key/value reports as aligned lines. */
final class Output {
    private Output() {
    }

    static void table(Table table, String emptyText, PrintStream out) {
        ShellTable shell = new ShellTable();
        table.headers().forEach(shell::column);
        for (List<String> row : table.rows()) {
            shell.addRow().addContent(row.toArray());
        }
        shell.emptyTableText(emptyText);
        shell.print(out);
    }

    static void details(Map<String, String> lines, PrintStream out) {
        int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0);
        lines.forEach((key, value) -> out.println(String.format("%-" + width + "s : %s", key, value)));
    }
}
