package org.edgeha.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;

/**
 * Builds small bundles at test time from classes of the test probe (their class files are copied into
 * the new jar, so the bundle has its own class loader) and installs them like an operator would.
 */
final class TestBundles {

    private TestBundles() {
    }

    static Bundle install(BundleContext context, String symbolicName, Class<?> activator, String imports,
            Map<String, String> headers) throws IOException, BundleException {
        return install(context, symbolicName, activator, imports, headers, java.util.List.of());
    }

    /** @param alsoCopy further classes of the probe the activator uses; copied in with their inner classes */
    static Bundle install(BundleContext context, String symbolicName, Class<?> activator, String imports,
            Map<String, String> headers, java.util.List<Class<?>> alsoCopy) throws IOException, BundleException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", activator.getName());
        main.putValue("Import-Package", imports);
        headers.forEach(main::putValue);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            java.util.List<Class<?>> classes = new java.util.ArrayList<>(alsoCopy);
            classes.add(0, activator);
            for (Class<?> type : classes) {
                String prefix = type.getName().replace('.', '/');
                addClass(jar, type, prefix + ".class");
                // anonymous inner classes (lambdas live in the class itself)
                for (int i = 1; i < 10; i++) {
                    String inner = prefix + "$" + i + ".class";
                    if (type.getClassLoader().getResource(inner) != null) {
                        addClass(jar, type, inner);
                    }
                }
            }
        }
        Bundle bundle = context.installBundle("test:" + symbolicName, new ByteArrayInputStream(bytes.toByteArray()));
        bundle.start();
        return bundle;
    }

    /**
     * Writes a bundle without classes (only a manifest) to a file, for a feature's repository folder.
     *
     * @param imports the Import-Package header, or null for none
     */
    static void write(java.nio.file.Path jar, String symbolicName, String version, String imports) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        if (imports != null) {
            main.putValue("Import-Package", imports);
        }
        java.nio.file.Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(java.nio.file.Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new JarEntry("readme.txt"));
            out.write(("test bundle " + symbolicName + " " + version + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    private static void addClass(JarOutputStream jar, Class<?> anchor, String path) throws IOException {
        try (InputStream in = anchor.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("class file " + path + " not found in the test probe");
            }
            jar.putNextEntry(new JarEntry(path));
            in.transferTo(jar);
            jar.closeEntry();
        }
    }
}
