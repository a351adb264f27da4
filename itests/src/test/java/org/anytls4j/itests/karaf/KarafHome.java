package org.anytls4j.itests.karaf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A fresh Apache Karaf directory made from the distribution archive, and the edits that make it fit for a test:
 * every listener on 127.0.0.1 and a port chosen by the test, a console user, and bundles resolved from this
 * build. Nothing here starts Karaf ({@link KarafProcess} does).
 */
final class KarafHome {
    private final Path home;

    private KarafHome(Path home) {
        this.home = home;
    }

    /**
     * Unpacks {@code archive} (the {@code apache-karaf-VERSION.tar.gz} of Maven Central) into {@code parent},
     * deleting what an earlier run left there (and killing a Karaf it left running). {@code tar} keeps the
     * executable bits of {@code bin/}, which Java's own archive classes would not.
     */
    static KarafHome unpack(Path archive, Path parent, String karafVersion) {
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("Karaf archive " + archive + " is missing: run the build through "
                    + "Maven (its pre-integration-test phase copies it there)");
        }
        Path home = parent.resolve("apache-karaf-" + karafVersion);
        KarafProcess.killLeftover(home);
        deleteTree(parent);
        try {
            Files.createDirectories(parent);
            Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", parent.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(parent.resolve("tar.log").toFile())
                    .start();
            if (!tar.waitFor(2, TimeUnit.MINUTES)) {
                tar.destroyForcibly();
                throw new IllegalStateException("tar did not unpack " + archive + " within 2 minutes");
            }
            if (tar.exitValue() != 0) {
                throw new IllegalStateException("tar failed (exit " + tar.exitValue() + ") unpacking " + archive
                        + ": " + Files.readString(parent.resolve("tar.log")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + archive + " into " + parent, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while unpacking " + archive, e);
        }
        if (!Files.isExecutable(home.resolve("bin/karaf"))) {
            throw new IllegalStateException(archive + " did not unpack to " + home + " with an executable bin/karaf");
        }
        return new KarafHome(home);
    }

    Path path() {
        return home;
    }

    Path etc() {
        return home.resolve("etc");
    }

    Path deploy() {
        return home.resolve("deploy");
    }

    Path log() {
        return home.resolve("data/log/karaf.log");
    }

    /**
     * The console (SSH) and JMX (RMI registry and server) listen on 127.0.0.1 only, on the given ports; the
     * distribution's defaults are 0.0.0.0:8101, 1099 and 44444, fixed ports another program may hold. The
     * shutdown port is random on localhost already. No HTTP feature is installed.
     */
    void listenOnLoopback(int sshPort, int rmiRegistryPort, int rmiServerPort) {
        Path shell = etc().resolve("org.apache.karaf.shell.cfg");
        CfgFiles.setProperty(shell, "sshHost", "127.0.0.1");
        CfgFiles.setProperty(shell, "sshPort", Integer.toString(sshPort));
        Path management = etc().resolve("org.apache.karaf.management.cfg");
        CfgFiles.setProperty(management, "rmiRegistryHost", "127.0.0.1");
        CfgFiles.setProperty(management, "rmiRegistryPort", Integer.toString(rmiRegistryPort));
        CfgFiles.setProperty(management, "rmiServerHost", "127.0.0.1");
        CfgFiles.setProperty(management, "rmiServerPort", Integer.toString(rmiServerPort));
    }

    /** The distribution ships the {@code karaf} user commented out: the console needs one. */
    void addConsoleUser(String user, String password) {
        Path users = etc().resolve("users.properties");
        CfgFiles.setProperty(users, user, password + ",_g_:admingroup");
        CfgFiles.setProperty(users, "_g_\\:admingroup", "group,admin,manager,viewer,systembundles,ssh");
    }

    /**
     * Karaf resolves {@code mvn:} URLs from its {@code system/} folder first (where {@link #stage} puts this
     * build), then from the local Maven repository the build filled (Netty, SCR). Maven Central stays the only
     * remote repository, for a fresh machine whose local repository lacks a bundle of Karaf's own {@code scr}
     * feature; snapshot repositories are never asked, so the anytls4j SNAPSHOTs come from this build only.
     */
    void resolveFrom(Path mavenRepository) {
        Path mvn = etc().resolve("org.ops4j.pax.url.mvn.cfg");
        String local = mavenRepository.toAbsolutePath().toUri().toString();
        CfgFiles.setProperty(mvn, "org.ops4j.pax.url.mvn.localRepository", mavenRepository.toAbsolutePath().toString());
        CfgFiles.setProperty(mvn, "org.ops4j.pax.url.mvn.defaultRepositories", String.join(", \\\n    ",
                "${karaf.home.uri}${karaf.default.repository}@id=system.repository@snapshots",
                "${karaf.data.uri}kar@id=kar.repository@multi@snapshots",
                "${karaf.base.uri}${karaf.default.repository}@id=child.system.repository@snapshots",
                local + "@id=maven.local"));
        CfgFiles.setProperty(mvn, "org.ops4j.pax.url.mvn.repositories", "https://repo1.maven.org/maven2@id=central");
    }

    /**
     * Puts {@code file} into Karaf's {@code system/} repository in Maven layout, so that
     * {@code mvn:groupId/artifactId/version[/type/classifier]} means exactly this build's file, whatever another
     * build installed into the local Maven repository meanwhile.
     */
    void stage(String groupId, String artifactId, String version, String classifier, String extension, Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("artifact " + groupId + ":" + artifactId + " is missing at " + file);
        }
        Path dir = home.resolve("system").resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version);
        String name = artifactId + "-" + version + (classifier == null ? "" : "-" + classifier) + "." + extension;
        try {
            Files.createDirectories(dir);
            Files.copy(file, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage " + file + " into " + dir, e);
        }
    }

    /** The text Karaf logged so far ({@code data/log/karaf.log}), empty before it logged anything. */
    String logText() {
        try {
            return Files.isRegularFile(log()) ? Files.readString(log()) : "";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log(), e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path path : deepestFirst) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root + " left by an earlier run", e);
        }
    }
}
