package org.anytls4j.anytls.config;

import org.anytls4j.common.config.InstanceNames;

import org.anytls4j.anytls.tls.TlsProvider;
import static org.anytls4j.anytls.config.ServerProperties.AUTH_TIMEOUT;
import static org.anytls4j.anytls.config.ServerProperties.CERTIFICATE_FILE;
import static org.anytls4j.anytls.config.ServerProperties.CONNECT_TIMEOUT;
import static org.anytls4j.anytls.config.ServerProperties.FALLBACK;
import static org.anytls4j.anytls.config.ServerProperties.HANDSHAKE_TIMEOUT;
import static org.anytls4j.anytls.config.ServerProperties.IDLE_SESSION_TIMEOUT;
import static org.anytls4j.anytls.config.ServerProperties.LISTEN_ADDRESS;
import static org.anytls4j.anytls.config.ServerProperties.MAX_STREAMS_PER_SESSION;
import static org.anytls4j.anytls.config.ServerProperties.NAME;
import static org.anytls4j.anytls.config.ServerProperties.PADDING_SCHEME;
import static org.anytls4j.anytls.config.ServerProperties.PADDING_SCHEME_FILE;
import static org.anytls4j.anytls.config.ServerProperties.PORT;
import static org.anytls4j.anytls.config.ServerProperties.PRIVATE_KEY_FILE;
import static org.anytls4j.anytls.config.ServerProperties.STOP_GRACE_PERIOD;
import static org.anytls4j.anytls.config.ServerProperties.TLS_PROVIDER;
import static org.anytls4j.anytls.config.ServerProperties.USERS;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything an AnyTLS server instance needs, validated, from one factory configuration of
 * {@value ServerProperties#FACTORY_PID}. See {@code docs/configuration.md} for every property and its default.
 *
 * <p>The padding scheme is kept as raw bytes and not parsed here: its md5 is over the exact bytes (§9.6), and
 * the component validates it with the protocol's parser, reporting failures through
 * {@link #invalidPaddingScheme(String)} so that the message names the property it came from.
 */
public final class ServerSettings {

    /** Loopback: a server reachable from elsewhere must be asked for explicitly. */
    public static final String DEFAULT_LISTEN_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_PORT = 8443;
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Never: clients keep idle sessions on purpose (min idle sessions), and no reference server closes them. */
    public static final Duration DEFAULT_IDLE_SESSION_TIMEOUT = Duration.ZERO;
    public static final int DEFAULT_MAX_STREAMS_PER_SESSION = 1024;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Long enough for a request in flight to finish, short enough that stopping never seems to hang. */
    public static final Duration DEFAULT_STOP_GRACE_PERIOD = Duration.ofSeconds(5);
    /** Bounds the grace period so that a bundle stop always ends. */
    public static final Duration MAX_STOP_GRACE_PERIOD = Duration.ofMinutes(5);
    /** A scheme must fit one UpdatePaddingScheme frame (§4.1: the length field is 16 bits). */
    public static final int MAX_PADDING_SCHEME_BYTES = 65535;

    private static final String ESCAPED_NEWLINE = "\\n";

    private final String name;
    private final String listenAddress;
    private final int port;
    private final Optional<Path> certificateFile;
    private final Optional<Path> privateKeyFile;
    private final List<ServerUser> users;
    private final byte[] paddingScheme;
    private final Optional<Path> paddingSchemeFile;
    private final Duration authTimeout;
    private final Duration handshakeTimeout;
    private final Duration idleSessionTimeout;
    private final int maxStreamsPerSession;
    private final Duration connectTimeout;
    private final Optional<HostPort> fallback;
    private final TlsProvider tlsProvider;
    private final Duration stopGracePeriod;

    private ServerSettings(String name, String listenAddress, int port, Optional<Path> certificateFile,
            Optional<Path> privateKeyFile, List<ServerUser> users, byte[] paddingScheme,
            Optional<Path> paddingSchemeFile, Duration authTimeout, Duration handshakeTimeout,
            Duration idleSessionTimeout, int maxStreamsPerSession, Duration connectTimeout,
            Optional<HostPort> fallback, TlsProvider tlsProvider, Duration stopGracePeriod) {
        this.name = name;
        this.listenAddress = listenAddress;
        this.port = port;
        this.certificateFile = certificateFile;
        this.privateKeyFile = privateKeyFile;
        this.users = List.copyOf(users);
        this.paddingScheme = paddingScheme;
        this.paddingSchemeFile = paddingSchemeFile;
        this.authTimeout = authTimeout;
        this.handshakeTimeout = handshakeTimeout;
        this.idleSessionTimeout = idleSessionTimeout;
        this.maxStreamsPerSession = maxStreamsPerSession;
        this.connectTimeout = connectTimeout;
        this.fallback = fallback;
        this.tlsProvider = tlsProvider;
        this.stopGracePeriod = stopGracePeriod;
    }

    /**
     * Reads and validates a configuration; reads the padding scheme file if one is configured.
     *
     * @throws InvalidConfigurationException naming the first property whose value cannot be used
     */
    public static ServerSettings from(Map<String, ?> properties) {
        return from(new ConfigReader(properties));
    }

    /** Like {@link #from(Map)}, with a reader the caller can ask for {@link ConfigReader#unreadNames()}. */
    public static ServerSettings from(ConfigReader config) {
        config.rejectPublished(USERS);
        String name = config.instanceName(NAME);
        String listenAddress = listenAddress(config.string(LISTEN_ADDRESS, DEFAULT_LISTEN_ADDRESS));
        int port = config.intInRange(PORT, DEFAULT_PORT, 0, 65535);
        Optional<Path> certificateFile = config.readableFile(CERTIFICATE_FILE);
        Optional<Path> privateKeyFile = config.readableFile(PRIVATE_KEY_FILE);
        List<ServerUser> users = parseUsers(config.secretList(USERS));
        Optional<String> paddingText = config.optionalText(PADDING_SCHEME);
        Optional<Path> paddingSchemeFile = config.readableFile(PADDING_SCHEME_FILE);
        Duration authTimeout = config.positiveDuration(AUTH_TIMEOUT, DEFAULT_AUTH_TIMEOUT);
        Duration handshakeTimeout = config.positiveDuration(HANDSHAKE_TIMEOUT, DEFAULT_HANDSHAKE_TIMEOUT);
        Duration idleSessionTimeout = config.duration(IDLE_SESSION_TIMEOUT, DEFAULT_IDLE_SESSION_TIMEOUT);
        int maxStreams = config.intInRange(MAX_STREAMS_PER_SESSION, DEFAULT_MAX_STREAMS_PER_SESSION, 1, 65535);
        Duration connectTimeout = config.positiveDuration(CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT);
        Optional<HostPort> fallback = config.hostPort(FALLBACK);
        TlsProvider tlsProvider = config.enumValue(TLS_PROVIDER, TlsProvider.AUTO);
        Duration stopGracePeriod = config.duration(STOP_GRACE_PERIOD, DEFAULT_STOP_GRACE_PERIOD);
        if (stopGracePeriod.compareTo(MAX_STOP_GRACE_PERIOD) > 0) {
            throw InvalidConfigurationException.of(STOP_GRACE_PERIOD, stopGracePeriod,
                    "at most " + MAX_STOP_GRACE_PERIOD.toMinutes() + " minutes");
        }

        if (certificateFile.isPresent() && privateKeyFile.isEmpty()) {
            throw InvalidConfigurationException.of(PRIVATE_KEY_FILE, null,
                    "required when '" + CERTIFICATE_FILE + "' is set");
        }
        if (privateKeyFile.isPresent() && certificateFile.isEmpty()) {
            throw InvalidConfigurationException.of(CERTIFICATE_FILE, null,
                    "required when '" + PRIVATE_KEY_FILE + "' is set");
        }
        if (paddingText.isPresent() && paddingSchemeFile.isPresent()) {
            throw InvalidConfigurationException.of(PADDING_SCHEME_FILE, paddingSchemeFile.get().toString(),
                    "set either '" + PADDING_SCHEME + "' or '" + PADDING_SCHEME_FILE + "', not both");
        }
        byte[] paddingScheme = paddingSchemeFile.isPresent() ? readPaddingScheme(paddingSchemeFile.get())
                : paddingText.map(ServerSettings::paddingSchemeBytes).orElse(null);
        return new ServerSettings(name, listenAddress, port, certificateFile, privateKeyFile, users, paddingScheme,
                paddingSchemeFile, authTimeout, handshakeTimeout, idleSessionTimeout, maxStreams, connectTimeout,
                fallback, tlsProvider, stopGracePeriod);
    }

    public String name() {
        return name;
    }

    /** How long a stopping server lets open streams finish before it closes them. */
    public Duration stopGracePeriod() {
        return stopGracePeriod;
    }

    /** An IP literal (IPv6 without brackets); {@value #DEFAULT_LISTEN_ADDRESS} unless configured. */
    public String listenAddress() {
        return listenAddress;
    }

    /** 1..65535, or 0 for an ephemeral port chosen by the system (for tests). */
    public int port() {
        return port;
    }

    /**
     * The PEM certificate chain; present exactly when {@link #privateKeyFile()} is. When both are absent the
     * server component decides (for example a self-signed certificate for loopback tests).
     */
    public Optional<Path> certificateFile() {
        return certificateFile;
    }

    /** The PEM private key matching {@link #certificateFile()}. */
    public Optional<Path> privateKeyFile() {
        return privateKeyFile;
    }

    /** At least one; names unique, passwords unique (the server tells users apart by password hash, §12). */
    public List<ServerUser> users() {
        return users;
    }

    /** The configured padding scheme as raw bytes (a fresh copy), or empty for the default scheme (§9.7). */
    public Optional<byte[]> paddingScheme() {
        return Optional.ofNullable(paddingScheme).map(byte[]::clone);
    }

    /** The file the padding scheme was read from, if it came from a file rather than {@code paddingScheme}. */
    public Optional<Path> paddingSchemeFile() {
        return paddingSchemeFile;
    }

    /**
     * The exception to throw when the protocol's parser rejects {@link #paddingScheme()}: it names whichever of
     * {@code paddingScheme} and {@code paddingSchemeFile} was configured.
     */
    public InvalidConfigurationException invalidPaddingScheme(String reason) {
        if (paddingSchemeFile.isPresent()) {
            return InvalidConfigurationException.of(PADDING_SCHEME_FILE, paddingSchemeFile.get().toString(), reason);
        }
        String text = paddingScheme == null ? null : new String(paddingScheme, StandardCharsets.UTF_8);
        return InvalidConfigurationException.of(PADDING_SCHEME, text, reason);
    }

    /** How long a new connection may take to send its authentication (§3) after the TLS handshake. */
    public Duration authTimeout() {
        return authTimeout;
    }

    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** Close sessions without streams after this long; zero = never. */
    public Duration idleSessionTimeout() {
        return idleSessionTimeout;
    }

    public int maxStreamsPerSession() {
        return maxStreamsPerSession;
    }

    /** Timeout for the server's outbound connection to a stream's destination. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Where connections that fail authentication are relayed (with the bytes already read); empty = close. */
    public Optional<HostPort> fallback() {
        return fallback;
    }

    public TlsProvider tlsProvider() {
        return tlsProvider;
    }

    @Override
    public boolean equals(Object other) {
        if (!(other instanceof ServerSettings)) {
            return false;
        }
        ServerSettings that = (ServerSettings) other;
        return fields().equals(that.fields()) && Arrays.equals(paddingScheme, that.paddingScheme);
    }

    @Override
    public int hashCode() {
        return 31 * fields().hashCode() + Arrays.hashCode(paddingScheme);
    }

    /** All settings; passwords show as {@code ***}, the padding scheme by its size. */
    @Override
    public String toString() {
        return "ServerSettings[name=" + name + ", listenAddress=" + listenAddress + ", port=" + port
                + ", certificateFile=" + certificateFile.map(Path::toString).orElse("<none>")
                + ", privateKeyFile=" + privateKeyFile.map(Path::toString).orElse("<none>")
                + ", users=" + users
                + ", paddingScheme=" + (paddingScheme == null ? "<default>" : paddingScheme.length + " bytes")
                + ", paddingSchemeFile=" + paddingSchemeFile.map(Path::toString).orElse("<none>")
                + ", authTimeout=" + authTimeout + ", handshakeTimeout=" + handshakeTimeout
                + ", idleSessionTimeout=" + idleSessionTimeout + ", maxStreamsPerSession=" + maxStreamsPerSession
                + ", connectTimeout=" + connectTimeout
                + ", fallback=" + fallback.map(HostPort::toString).orElse("<none>")
                + ", tlsProvider=" + tlsProvider.name().toLowerCase(Locale.ROOT)
                + ", stopGracePeriod=" + stopGracePeriod + "]";
    }

    private List<Object> fields() {
        return List.of(name, listenAddress, port, certificateFile, privateKeyFile, users, paddingSchemeFile,
                authTimeout, handshakeTimeout, idleSessionTimeout, maxStreamsPerSession, connectTimeout, fallback,
                tlsProvider, stopGracePeriod);
    }

    /** An IP literal only: a host name would need a DNS lookup at activation, which may block or fail. */
    private static String listenAddress(String text) {
        boolean bracketed = text.startsWith("[") && text.endsWith("]");
        String address = bracketed ? text.substring(1, text.length() - 1) : text;
        if (bracketed ? !HostSyntax.isIpv6Literal(address) : !HostSyntax.isIpLiteral(address)) {
            throw InvalidConfigurationException.of(LISTEN_ADDRESS, text,
                    "expected an IP address such as 127.0.0.1, ::1 or 0.0.0.0 (host names are not resolved)");
        }
        return address;
    }

    /**
     * Entries {@code name:password}, split at the first ':' so that passwords may contain ':'. Messages name
     * entries by position and user name, never by content: an entry without ':' may be a bare password.
     */
    private static List<ServerUser> parseUsers(List<String> entries) {
        if (entries.isEmpty()) {
            throw InvalidConfigurationException.of(USERS, null, "required: at least one name:password entry");
        }
        List<ServerUser> users = new ArrayList<>(entries.size());
        Map<String, String> nameByPassword = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i);
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw InvalidConfigurationException.ofSecret(USERS, "entry " + (i + 1) + " is not name:password");
            }
            String name = entry.substring(0, colon).strip();
            String password = entry.substring(colon + 1).strip();
            if (!InstanceNames.isValid(name)) {
                throw InvalidConfigurationException.ofSecret(USERS, "the user name of entry " + (i + 1)
                        + " does not match " + InstanceNames.RULE);
            }
            if (password.isEmpty()) {
                throw InvalidConfigurationException.ofSecret(USERS, "user '" + name + "' has an empty password");
            }
            for (ServerUser user : users) {
                if (user.name().equals(name)) {
                    throw InvalidConfigurationException.ofSecret(USERS, "user '" + name + "' is listed twice");
                }
            }
            String sameAs = nameByPassword.putIfAbsent(password, name);
            if (sameAs != null) {
                throw InvalidConfigurationException.ofSecret(USERS, "users '" + sameAs + "' and '" + name
                        + "' have the same password; AnyTLS identifies users by password hash alone");
            }
            users.add(new ServerUser(name, Secret.of(password)));
        }
        return users;
    }

    /**
     * A scheme given in the configuration text. Configuration Admin {@code .cfg} values are single lines, so the
     * two characters {@code \n} stand for a line break (no padding scheme contains a backslash); an array or
     * list of lines (like sing-box's {@code padding_scheme}) is joined with line breaks by the reader.
     */
    private static byte[] paddingSchemeBytes(String text) {
        byte[] bytes = text.replace(ESCAPED_NEWLINE, "\n").getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_PADDING_SCHEME_BYTES) {
            throw InvalidConfigurationException.of(PADDING_SCHEME, text, "longer than "
                    + MAX_PADDING_SCHEME_BYTES + " bytes, which no client can receive");
        }
        return bytes;
    }

    private static byte[] readPaddingScheme(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_PADDING_SCHEME_BYTES) {
                throw InvalidConfigurationException.of(PADDING_SCHEME_FILE, file.toString(), size
                        + " bytes, longer than " + MAX_PADDING_SCHEME_BYTES + ", which no client can receive");
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length == 0) {
                throw InvalidConfigurationException.of(PADDING_SCHEME_FILE, file.toString(), "the file is empty");
            }
            return bytes;
        } catch (IOException e) {
            throw InvalidConfigurationException.of(PADDING_SCHEME_FILE, file.toString(),
                    "cannot be read: " + e.getMessage(), e);
        }
    }
}
