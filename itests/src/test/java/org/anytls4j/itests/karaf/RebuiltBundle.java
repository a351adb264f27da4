package org.anytls4j.itests.karaf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A "rebuilt" bundle: the same classes, symbolic name and version as the one built, with one more manifest header
 * naming the build, so that the jar's bytes (and its checksum) differ as after a real rebuild.
 *
 * <p>Why the same version: Karaf's fileinstall, given a jar in {@code deploy/} whose symbolic name and version match
 * an installed bundle (here the one the feature installed from {@code mvn:}), updates that bundle in place
 * ("Updating this bundle instead"). A different version would be installed next to it as a second bundle, with a
 * second set of components fighting over the same configurations and ports.
 */
final class RebuiltBundle {
    static final String BUILD_HEADER = "X-AnyTls4j-Rebuild";

    private RebuiltBundle() {
    }

    /** The jar {@code original} with the header {@value #BUILD_HEADER}{@code : build}, as bytes. */
    static byte[] of(Path original, String build) {
        try (JarFile jar = new JarFile(original.toFile())) {
            Manifest manifest = new Manifest(jar.getManifest());
            if (manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                throw new IllegalArgumentException(original + " is not a bundle: it has no Bundle-SymbolicName");
            }
            manifest.getMainAttributes().put(new Attributes.Name(BUILD_HEADER), build);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            // JarOutputStream writes the manifest first, where JarInputStream (and so fileinstall) looks for it.
            try (JarOutputStream out = new JarOutputStream(bytes, manifest)) {
                Enumeration<JarEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = jar.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rebuild " + original, e);
        }
    }
}
