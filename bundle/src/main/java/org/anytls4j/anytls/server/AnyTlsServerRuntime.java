package org.anytls4j.anytls.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.anytls4j.anytls.config.InvalidConfigurationException;
import org.anytls4j.anytls.config.ServerSettings;
import org.anytls4j.anytls.config.ServerUser;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.padding.PaddingScheme;
import org.anytls4j.anytls.session.ServerUsers;
import org.anytls4j.anytls.tls.CertificateLoadException;
import org.anytls4j.anytls.tls.ServerCertificateSource;
import org.anytls4j.transport.api.server.UserActivity;

import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One configured AnyTLS server, running: builds an {@link AnyTlsServer} from {@link ServerSettings}, keeps its
 * certificate in step with the PEM files, and keeps trying to listen until it can.
 *
 * <p>{@link #start} fails only for a configuration that can never work (it throws
 * {@link InvalidConfigurationException} naming the property). A listen address that is busy or not yet there is
 * a transient condition: the bind is retried with backoff in the background and each failure is logged, because a
 * Declarative Services component whose activation failed is not activated again while its configuration stays
 * the same.
 *
 * <p>{@link #reconfigure} applies a changed configuration to the running server after validating all of it:
 * open sessions keep their values, new ones get the new values, sessions of removed users are closed, and a new
 * listen address is bound before the old listener closes. {@link #close(Duration)} stops accepting at once and
 * lets open streams finish for the configured {@link ServerSettings#stopGracePeriod()}.
 *
 * <p>File checks and bind retries run on one small daemon thread owned by the runtime, never on an event loop.
 * Free of OSGi.
 */
public final class AnyTlsServerRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AnyTlsServerRuntime.class.getName());
    private static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final IoRuntime io;
    private final ServerRuntimeTimings timings;
    private final AnyTlsServer server;
    private volatile ServerSettings settings;
    private volatile ServerCertificateSource certificates;
    private volatile PaddingScheme paddingScheme;
    /** Where the server listens or tries to; reverts when moving to a new address fails. Guarded by lock. */
    private InetSocketAddress listenTarget;
    private final ScheduledThreadPoolExecutor maintenance;
    private final CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
    private final Object lock = new Object();
    private ScheduledFuture<?> pendingBind;
    private int bindFailures;
    private boolean closed;

    private AnyTlsServerRuntime(ServerSettings settings, IoRuntime io, ServerRuntimeTimings timings) {
        this.io = io;
        this.settings = settings;
        this.timings = timings;
        // Everything that can reject the configuration runs before any thread or socket exists.
        ServerUsers users = ServerSettingsTranslator.users(settings);
        this.paddingScheme = ServerSettingsTranslator.paddingScheme(settings);
        this.certificates = ServerSettingsTranslator.certificates(settings);
        this.server = serverConfiguration(settings, certificates, users, paddingScheme).build();
        this.listenTarget = ServerSettingsTranslator.bindAddress(settings);
        this.maintenance = new ScheduledThreadPoolExecutor(1,
                new DefaultThreadFactory("anytls4j-server-" + settings.name(), true));
        maintenance.setRemoveOnCancelPolicy(true);
        maintenance.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Validates {@code settings} completely, then starts listening in the background.
     *
     * @throws InvalidConfigurationException when the configuration can never work: an invalid padding scheme,
     *                                       unusable PEM files, an unavailable TLS provider, duplicate passwords
     */
    public static AnyTlsServerRuntime start(ServerSettings settings, IoRuntime io) {
        return start(settings, io, ServerRuntimeTimings.DEFAULTS);
    }

    /** Like {@link #start(ServerSettings, IoRuntime)} with other check and retry timings (tests). */
    public static AnyTlsServerRuntime start(ServerSettings settings, IoRuntime io, ServerRuntimeTimings timings) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(io, "io");
        Objects.requireNonNull(timings, "timings");
        AnyTlsServerRuntime runtime = new AnyTlsServerRuntime(settings, io, timings);
        runtime.scheduleCertificateChecks();
        runtime.bind(timings.firstBindRetry());
        return runtime;
    }

    private AnyTlsServer.Builder serverConfiguration(ServerSettings settings, ServerCertificateSource certificates,
                                                    ServerUsers users, PaddingScheme scheme) {
        AnyTlsServer.Builder builder = AnyTlsServer.builder(settings.name(), io, certificates::current, users)
                .bind(ServerSettingsTranslator.bindAddress(settings))
                .paddingScheme(() -> scheme)
                .authTimeout(settings.authTimeout())
                .handshakeTimeout(settings.handshakeTimeout())
                .idleSessionTimeout(settings.idleSessionTimeout())
                .connectTimeout(settings.connectTimeout())
                .maxStreamsPerSession(settings.maxStreamsPerSession());
        settings.fallback().ifPresent(fallback -> builder.fallback(new TcpFallback(
                new Bootstrap().channel(io.socketChannel()).resolver(io.resolver()),
                ServerSettingsTranslator.fallbackAddress(fallback), settings.connectTimeout())));
        return builder;
    }

    /**
     * Applies {@code next} to the running server. Everything that can reject it (users, padding scheme, PEM files,
     * TLS provider) is checked first; a rejected configuration changes nothing. Open sessions keep the values they
     * started with; sessions of users that were removed (or whose password changed) are closed. A changed listen
     * address is bound before the old listener closes; if that bind fails, the old listener stays and the failure
     * is logged. Blocking file I/O: not on an event loop.
     *
     * @return completes with the listening address once the change is complete, or fails with the bind failure
     *         of a new listen address (the old listener then stays)
     * @throws InvalidConfigurationException naming the property whose value cannot be used
     */
    public CompletableFuture<InetSocketAddress> reconfigure(ServerSettings next) {
        Objects.requireNonNull(next, "next");
        ServerUsers users = ServerSettingsTranslator.users(next);
        PaddingScheme scheme = ServerSettingsTranslator.paddingScheme(next);
        ServerCertificateSource nextCertificates = sameCertificateSource(settings, next)
                ? certificates : ServerSettingsTranslator.certificates(next);
        CompletableFuture<InetSocketAddress> applied = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                applied.completeExceptionally(new IllegalStateException("AnyTLS server " + next.name()
                        + " is closed"));
                return applied;
            }
            ServerSettings previous = settings;
            settings = next;
            certificates = nextCertificates;
            paddingScheme = scheme;
            server.reconfigure(serverConfiguration(next, nextCertificates, users, scheme));
            Set<String> removed = removedUsers(previous, next);
            if (!removed.isEmpty()) {
                int closedSessions = server.closeSessionsOf(removed, "user removed from the configuration");
                LOG.log(System.Logger.Level.INFO, "AnyTLS server {0}: users {1} removed or changed; "
                        + "closed their {2} sessions", next.name(), removed, closedSessions);
            }
            InetSocketAddress target = ServerSettingsTranslator.bindAddress(next);
            if (!target.equals(listenTarget)) {
                moveListener(listenTarget, target, next.name(), applied);
            } else {
                bound.whenComplete((address, failure) -> applied.complete(server.localAddress()));
            }
        }
        LOG.log(System.Logger.Level.INFO, "AnyTLS server {0} reconfigured; open sessions keep their settings",
                next.name());
        return applied;
    }

    private static boolean sameCertificateSource(ServerSettings a, ServerSettings b) {
        return a.certificateFile().equals(b.certificateFile()) && a.privateKeyFile().equals(b.privateKeyFile())
                && a.tlsProvider() == b.tlsProvider() && a.handshakeTimeout().equals(b.handshakeTimeout());
    }

    private static Set<String> removedUsers(ServerSettings previous, ServerSettings next) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (ServerUser user : next.users()) {
            kept.put(user.name(), user.password().reveal());
        }
        Set<String> removed = new HashSet<>();
        for (ServerUser user : previous.users()) {
            if (!user.password().reveal().equals(kept.get(user.name()))) {
                removed.add(user.name());
            }
        }
        return removed;
    }

    /** Holds {@link #lock}. */
    private void moveListener(InetSocketAddress from, InetSocketAddress to, String name,
                              CompletableFuture<InetSocketAddress> applied) {
        listenTarget = to;
        if (!bound.isDone()) {
            bound.whenComplete((address, failure) -> applied.complete(server.localAddress()));
            // Not listening yet: retry at the new address now; an attempt in flight retries there if it fails.
            if (pendingBind != null) {
                pendingBind.cancel(false);
                pendingBind = null;
                maintenance.execute(() -> bind(timings.firstBindRetry()));
            }
            return;
        }
        server.moveTo(to).addListener((ChannelFuture done) -> {
            if (done.isSuccess()) {
                applied.complete((InetSocketAddress) done.channel().localAddress());
                return;
            }
            synchronized (lock) {
                if (to.equals(listenTarget)) {
                    // The old listener still runs; a repeated edit of the address tries the bind again.
                    listenTarget = from;
                }
            }
            LOG.log(System.Logger.Level.ERROR, "AnyTLS server {0} cannot listen on {1} ({2}); keeps listening on "
                    + "{3}", name, to, done.cause().toString(), server.localAddress());
            applied.completeExceptionally(done.cause());
        });
    }

    private void scheduleCertificateChecks() {
        long interval = timings.certificateCheckInterval().toNanos();
        if (certificates.reloadable() && interval > 0) {
            maintenance.scheduleWithFixedDelay(this::checkCertificateQuietly, interval, interval,
                    TimeUnit.NANOSECONDS);
        }
    }

    private void bind(Duration nextRetry) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            pendingBind = null;
        }
        ChannelFuture attempt = server.start();
        attempt.addListener((ChannelFuture done) -> {
            synchronized (lock) {
                if (closed) {
                    return; // AnyTlsServer closes a listener bound after close()
                }
                if (done.isSuccess()) {
                    bound.complete((InetSocketAddress) done.channel().localAddress());
                    return;
                }
                bindFailures++;
                LOG.log(System.Logger.Level.ERROR, "AnyTLS server {0} cannot listen on {1} ({2}); "
                        + "retrying in {3} ms", settings.name(), listenTarget, done.cause().toString(),
                        nextRetry.toMillis());
                pendingBind = maintenance.schedule(() -> bind(timings.nextBindRetry(nextRetry)),
                        nextRetry.toNanos(), TimeUnit.NANOSECONDS);
            }
        });
    }

    private void checkCertificateQuietly() {
        try {
            refreshCertificate();
        } catch (CertificateLoadException e) {
            LOG.log(System.Logger.Level.WARNING, "AnyTLS server {0} keeps its current certificate: {1}",
                    settings.name(), e.getMessage());
        } catch (RuntimeException e) {
            // A scheduled task that throws is never run again: report it and keep checking.
            LOG.log(System.Logger.Level.WARNING, "AnyTLS server " + settings.name()
                    + ": certificate check failed", e);
        }
    }

    /**
     * Reloads the certificate now if a PEM file changed; new connections get the new one, open connections keep
     * theirs. Blocking file I/O: not on an event loop. The runtime also does this every
     * {@link ServerRuntimeTimings#certificateCheckInterval()}.
     *
     * @return whether the certificate changed
     * @throws CertificateLoadException when the changed files cannot be used (the old certificate stays)
     */
    public boolean refreshCertificate() throws CertificateLoadException {
        return certificates.refreshIfChanged();
    }

    /** Completes with the listening address once a bind succeeded; fails if the runtime closes before that. */
    public CompletableFuture<InetSocketAddress> bound() {
        return bound.copy();
    }

    /** The listening address, or null while not (yet) listening. */
    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    /** How many bind attempts have failed so far. */
    public int bindFailures() {
        synchronized (lock) {
            return bindFailures;
        }
    }

    public String name() {
        return settings.name();
    }

    public ServerStats.Snapshot stats() {
        return server.stats();
    }

    /** Sessions and bytes per user name; never a credential. */
    public List<UserActivity> users() {
        return server.users();
    }

    /** When the server was made: its counters start there. */
    public Instant since() {
        return server.since();
    }

    /** The configured listen address as {@code host:port}, whether or not the server listens yet. */
    public String configuredAddress() {
        String host = settings.listenAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + settings.port();
    }

    /** The certificate new connections get. */
    public X509Certificate currentCertificate() {
        return certificates.currentCertificate();
    }

    /** The scheme pushed to clients whose padding-md5 differs. */
    public PaddingScheme paddingScheme() {
        return paddingScheme;
    }

    /**
     * Stops: no further bind retry or file check, then the listener closes, open streams get the configured
     * {@link ServerSettings#stopGracePeriod()} (at most {@code timeout}) to finish, then every connection closes
     * (and with them their sessions and streams). Returns within about twice {@code timeout}. Idempotent; not on
     * an event loop.
     */
    public void close(Duration timeout) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (pendingBind != null) {
                pendingBind.cancel(false);
                pendingBind = null;
            }
        }
        maintenance.shutdownNow();
        Duration grace = settings.stopGracePeriod();
        server.close(grace.compareTo(timeout) < 0 ? grace : timeout, timeout);
        bound.completeExceptionally(new IllegalStateException("AnyTLS server " + settings.name()
                + " was closed before it could listen"));
        LOG.log(System.Logger.Level.INFO, "AnyTLS server {0} stopped", settings.name());
    }

    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }

    @Override
    public String toString() {
        return "AnyTlsServerRuntime[" + settings.name() + ", " + (bound.isDone() && !bound.isCompletedExceptionally()
                ? "listening on " + localAddress() : "not listening") + "]";
    }
}
