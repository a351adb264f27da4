package org.anytls4j.itests.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The property names docs/configuration.md lists in the table of one factory PID. */
public final class DocumentedProperties {
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\|");

    private DocumentedProperties() {
    }

    /** Names in the first table after the heading that mentions {@code factory PID `<pid>`}. */
    public static Set<String> of(String factoryPid) throws IOException {
        Path doc = Path.of(System.getProperty("itests.docs", "../docs"), "configuration.md");
        List<String> lines = Files.readAllLines(doc);
        String heading = "factory PID `" + factoryPid + "`";
        Set<String> names = new LinkedHashSet<>();
        boolean inSection = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                if (inSection) {
                    break;
                }
                inSection = line.contains(heading);
                continue;
            }
            Matcher row = ROW.matcher(line);
            if (inSection && row.find()) {
                names.add(row.group(1));
            } else if (inSection && !names.isEmpty() && !line.startsWith("|")) {
                break; // the end of the first table
            }
        }
        if (names.isEmpty()) {
            throw new IllegalStateException(doc + " has no property table under a heading naming " + heading);
        }
        return names;
    }
}
