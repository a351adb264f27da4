package org.anytls4j.itests.karaf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Edits and writes Karaf {@code .cfg} files the way an operator would, so that fileinstall sees whole files only. */
final class CfgFiles {
    private CfgFiles() {
    }

    /**
     * Replaces the property {@code key} (including the backslash-continued lines of a multi-line value) with
     * {@code key = value}, or appends it when the file does not have it.
     */
    static void setProperty(Path file, String key, String value) {
        Pattern start = Pattern.compile("^\\s*" + Pattern.quote(key) + "\\s*[=:].*");
        List<String> out = new ArrayList<>();
        boolean replaced = false;
        boolean skippingContinuation = false;
        for (String line : read(file)) {
            if (skippingContinuation) {
                skippingContinuation = line.endsWith("\\");
                continue;
            }
            if (start.matcher(line).matches()) {
                out.add(key + " = " + value);
                replaced = true;
                skippingContinuation = line.endsWith("\\");
                continue;
            }
            out.add(line);
        }
        if (!replaced) {
            out.add(key + " = " + value);
        }
        writeAtomically(file, String.join("\n", out) + "\n");
    }

    /**
     * Writes {@code content} into the folder's parent first, then renames it into place: fileinstall polls
     * {@code etc/} and {@code deploy/} every second and must never see a half-written file (in {@code deploy/}
     * it would install any file it finds, whatever its name).
     */
    static void writeAtomically(Path file, String content) {
        writeAtomically(file, content.getBytes(StandardCharsets.UTF_8));
    }

    static void writeAtomically(Path file, byte[] content) {
        Path watched = file.toAbsolutePath().getParent();
        Path partial = watched.resolveSibling(watched.getFileName() + "-" + file.getFileName() + ".partial");
        try {
            Files.write(partial, content);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
