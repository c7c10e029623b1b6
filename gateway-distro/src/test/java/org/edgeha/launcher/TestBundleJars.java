package org.edgeha.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Bundles made by the tests: a manifest and nothing else, enough for the framework to resolve or refuse them. */
final class TestBundleJars {

    private TestBundleJars() {
    }

    /**
     * Writes a bundle {@code bsn} 1.0.0 that imports {@code imports}. It is written under a hidden name and then moved
     * in at once, so that FileInstall, watching the folder, never sees a half-written jar.
     */
    static void write(Path jar, String bsn, String imports) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", bsn);
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Import-Package", imports);
        Files.createDirectories(jar.getParent());
        Path partial = jar.resolveSibling("." + jar.getFileName());
        try (OutputStream out = Files.newOutputStream(partial); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // a manifest is all such a bundle has
        }
        Files.move(partial, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
