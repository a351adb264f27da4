package org.anytls4j.management.model;

import java.util.List;
import java.util.Objects;

/** Column headers and rows of text, as a command prints them; immutable. */
public final class Table {
    private final List<String> headers;
    private final List<List<String>> rows;

    public Table(List<String> headers, List<List<String>> rows) {
        this.headers = List.copyOf(headers);
        this.rows = rows.stream().map(List::copyOf).toList();
        for (List<String> row : this.rows) {
            if (row.size() != this.headers.size()) {
                throw new IllegalArgumentException("row " + row + " has " + row.size() + " cells for "
                        + this.headers.size() + " columns " + this.headers);
            }
        }
    }

    public List<String> headers() {
        return headers;
    }

    public List<List<String>> rows() {
        return rows;
    }

    /** The cell of {@code column} in the first row whose first cell is {@code key}. */
    public String cell(String key, String column) {
        int index = headers.indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + headers);
        }
        return rows.stream().filter(row -> Objects.equals(row.get(0), key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no row " + key)).get(index);
    }
}
