package org.anytls4j.anytls.golden;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One golden conversation file (format: {@code src/test/resources/golden/README.md}): recorded AnyTLS sessions of
 * the reference implementation, one decrypted TLS record per {@code C>}/{@code S>} line.
 *
 * <p>The files are test resources of this module, read from the class path ({@value #RESOURCE_DIRECTORY}). The
 * system property {@value #DIRECTORY_PROPERTY} points the tests at another directory instead, e.g. new captures.
 */
public final class GoldenConversation {

    public static final String DIRECTORY_PROPERTY = "anytls.golden.dir";
    static final String RESOURCE_DIRECTORY = "/golden";

    private static final Pattern ANNOTATION_HEADER = Pattern.compile("# \\[([CS])(\\d+)] .*");
    private static final String FRAME_LINE_PREFIX = "#   ";

    private final String fileName;
    private final List<String> headerComments;
    private final List<Session> sessions;

    private GoldenConversation(String fileName, List<String> headerComments, List<Session> sessions) {
        this.fileName = fileName;
        this.headerComments = List.copyOf(headerComments);
        this.sessions = List.copyOf(sessions);
    }

    /**
     * The golden directory: the one {@value #DIRECTORY_PROPERTY} names, else the test resource directory.
     *
     * @throws IllegalStateException if it does not exist: the golden tests must not pass by finding nothing
     */
    public static Path directory() {
        String configured = System.getProperty(DIRECTORY_PROPERTY);
        Path directory = configured == null ? resourceDirectory() : Paths.get(configured).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("golden conversation directory " + directory + " does not exist; unset -D"
                + DIRECTORY_PROPERTY + " to use the test resources " + RESOURCE_DIRECTORY);
        }
        return directory;
    }

    private static Path resourceDirectory() {
        URL url = GoldenConversation.class.getResource(RESOURCE_DIRECTORY);
        if (url == null) {
            throw new IllegalStateException(
                "test resource directory " + RESOURCE_DIRECTORY + " is not on the class path");
        }
        try {
            // Surefire runs from target/test-classes, so the resources are files that can be listed.
            return Paths.get(url.toURI());
        } catch (URISyntaxException | FileSystemNotFoundException e) {
            throw new IllegalStateException("test resource directory " + url + " is not a directory of files", e);
        }
    }

    /** Names of every {@code *.txt} golden file, sorted. */
    public static List<String> fileNames() {
        try (Stream<Path> files = Files.list(directory())) {
            return files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".txt")).sorted()
                .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads and parses one file of the golden directory, e.g. {@code "tcp-two-streams.txt"}. */
    public static GoldenConversation load(String fileName) {
        Path file = directory().resolve(fileName);
        try {
            return parse(fileName, Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read golden file " + file, e);
        }
    }

    /**
     * Parses the lines of a golden file.
     *
     * @throws IllegalArgumentException naming the line for anything that is neither a comment nor a record, a
     *     record outside a session, or an annotation header whose direction differs from its record
     */
    public static GoldenConversation parse(String fileName, List<String> lines) {
        List<String> header = new ArrayList<>();
        List<Session> sessions = new ArrayList<>();
        SessionBuilder current = null;
        String pendingHeader = null;
        List<String> pendingFrameLines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i);
            String where = fileName + ":" + lineNumber;
            if (line.startsWith("# @session ")) {
                if (current != null) {
                    sessions.add(current.build());
                }
                current = new SessionBuilder(line.substring(2), where);
            } else if (line.startsWith("C> ") || line.startsWith("S> ")) {
                if (current == null) {
                    throw new IllegalArgumentException(where + ": record before the first '# @session' line");
                }
                Direction direction = Direction.of(line.charAt(0));
                if (pendingHeader != null && pendingHeader.charAt(1) != direction.letter) {
                    throw new IllegalArgumentException(where + ": annotation '" + pendingHeader
                        + "' does not belong to a " + direction + " record");
                }
                byte[] plaintext = HexFormat.of().parseHex(line.substring(3).trim());
                current.events.add(new Record(direction, plaintext, pendingHeader, pendingFrameLines, lineNumber));
                pendingHeader = null;
                pendingFrameLines = new ArrayList<>();
            } else if (ANNOTATION_HEADER.matcher(line).matches()) {
                if (pendingHeader != null) {
                    throw new IllegalArgumentException(where + ": annotation without a record after '"
                        + pendingHeader + "'");
                }
                pendingHeader = line.substring(2);
            } else if (pendingHeader != null && line.startsWith(FRAME_LINE_PREFIX)) {
                pendingFrameLines.add(line.substring(FRAME_LINE_PREFIX.length()));
            } else if (current != null && (line.startsWith("# @eof ") || line.startsWith("# @rst ")
                || line.startsWith("# @tls "))) {
                String[] parts = line.substring(3).split(" +", 3);
                current.events.add(new Marker(parts[0], Direction.of(parts[1].charAt(0)), line.substring(2),
                    lineNumber));
            } else if (line.startsWith("#")) {
                (current == null ? header : current.comments).add(line);
            } else if (!line.isBlank()) {
                throw new IllegalArgumentException(where + ": line is neither a comment nor a C>/S> record");
            }
        }
        if (pendingHeader != null) {
            throw new IllegalArgumentException(fileName + ": annotation '" + pendingHeader + "' without a record");
        }
        if (current != null) {
            sessions.add(current.build());
        }
        if (sessions.isEmpty()) {
            throw new IllegalArgumentException(fileName + ": no '# @session' line");
        }
        return new GoldenConversation(fileName, header, sessions);
    }

    public String fileName() {
        return fileName;
    }

    /** Comment lines before the first session: what ran, the scheme in force, what the capture shows. */
    public List<String> headerComments() {
        return headerComments;
    }

    public List<Session> sessions() {
        return sessions;
    }

    @Override
    public String toString() {
        return fileName + " (" + sessions.size() + " sessions)";
    }

    /** Who sent a record. */
    public enum Direction {
        CLIENT('C'), SERVER('S');

        private final char letter;

        Direction(char letter) {
            this.letter = letter;
        }

        public char letter() {
            return letter;
        }

        static Direction of(char letter) {
            for (Direction direction : values()) {
                if (direction.letter == letter) {
                    return direction;
                }
            }
            throw new IllegalArgumentException("direction '" + letter + "' is neither C nor S");
        }
    }

    /** What happened on the connection, in capture order. */
    public sealed interface Event permits Record, Marker {
        Direction direction();

        /** Line of the golden file. */
        int line();
    }

    /**
     * One TLS record's decrypted plaintext, with its annotation: the header ({@code [C3] 474 bytes ...}, without
     * the leading {@code "# "}) and one line per frame that starts in the record ({@code PSH sid=1 len=7 ...},
     * without the leading {@code "#   "}); both may be absent.
     */
    public record Record(Direction direction, byte[] plaintext, String header, List<String> frameLines, int line)
        implements Event {

        public Record {
            plaintext = plaintext.clone();
            frameLines = List.copyOf(frameLines);
        }

        @Override
        public byte[] plaintext() {
            return plaintext.clone();
        }

        public int length() {
            return plaintext.length;
        }
    }

    /** A TCP FIN ({@code eof}), TCP RST ({@code rst}) or TLS-layer record ({@code tls}); not AnyTLS bytes. */
    public record Marker(String kind, Direction direction, String text, int line) implements Event {
    }

    /** One TLS connection. */
    public static final class Session {

        private final String description;
        private final int number;
        private final List<Event> events;
        private final List<String> comments;

        private Session(String description, int number, List<Event> events, List<String> comments) {
            this.description = description;
            this.number = number;
            this.events = List.copyOf(events);
            this.comments = List.copyOf(comments);
        }

        /** The {@code @session} line without {@code "# "}. */
        public String description() {
            return description;
        }

        public int number() {
            return number;
        }

        public List<Event> events() {
            return events;
        }

        /** Comment lines inside the session that are not annotations, e.g. the simulated server parse. */
        public List<String> comments() {
            return comments;
        }

        public List<Record> records() {
            return events.stream().filter(Record.class::isInstance).map(Record.class::cast).toList();
        }

        public List<Record> records(Direction direction) {
            return records().stream().filter(record -> record.direction() == direction).toList();
        }

        public List<Marker> markers() {
            return events.stream().filter(Marker.class::isInstance).map(Marker.class::cast).toList();
        }

        /** Every byte the direction sent, records concatenated. */
        public byte[] bytes(Direction direction) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            records(direction).forEach(record -> out.writeBytes(record.plaintext()));
            return out.toByteArray();
        }

        public byte[] clientBytes() {
            return bytes(Direction.CLIENT);
        }

        public byte[] serverBytes() {
            return bytes(Direction.SERVER);
        }

        @Override
        public String toString() {
            return "session " + number;
        }
    }

    private static final class SessionBuilder {
        private static final Pattern NUMBER = Pattern.compile("@session (\\d+)\\b.*");

        private final String description;
        private final int number;
        private final List<Event> events = new ArrayList<>();
        private final List<String> comments = new ArrayList<>();

        SessionBuilder(String description, String where) {
            Matcher matcher = NUMBER.matcher(description);
            if (!matcher.matches()) {
                throw new IllegalArgumentException(where + ": session line without a number: " + description);
            }
            this.description = Objects.requireNonNull(description);
            this.number = Integer.parseInt(matcher.group(1));
        }

        Session build() {
            return new Session(description, number, events, comments);
        }
    }
}
