package org.edgeha.distro;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/**
 * The bundles' boundaries, read from the whole repository's Java sources (every module, main and test): no
 * module uses another module's {@code org.edgeha.….internal} package (by import, static import or a fully
 * qualified name in code), and no source file declares a package another module owns (a split package, which
 * reaches package-private members). A module is the folder of the nearest {@code pom.xml}; it owns the packages
 * its {@code src/main/java} declares. Other modules go through exported packages: an API bundle, or an
 * implementation bundle's versioned factory package such as {@code org.edgeha.recovery.standalone}
 * (docs/ARCHITECTURE.md, "Bundle boundaries").
 *
 * <p>Here, in the distro's unit tests, because they run in every {@code mvn verify} before the slow tests and
 * need nothing built: the check reads source files only.
 */
public class BundleBoundariesTest {

    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?\\s*;");
    /** A qualified name that passes through an {@code internal} package, in code (comments and strings removed). */
    private static final Pattern QUALIFIED_INTERNAL = Pattern.compile("(?<![\\w.])(org\\.edgeha(?:\\.\\w+)*?\\.internal)\\.\\w");

    /** One Java source file: its module (relative folder), package and text. */
    private record Source(Path file, String module, String pkg, String text) {
    }

    @Test
    public void noModuleUsesAnotherModulesInternalPackagesOrDeclaresItsPackages() throws IOException {
        Path root = repositoryRoot();
        List<Source> sources = sources(root);
        assertTrue("found the repository's sources under " + root, sources.size() > 100);

        Map<String, Set<String>> owners = new HashMap<>(); // package -> modules whose src/main/java declares it
        for (Source s : sources) {
            if (isMain(root, s)) {
                owners.computeIfAbsent(s.pkg(), p -> new TreeSet<>()).add(s.module());
            }
        }
        List<String> problems = new ArrayList<>();
        for (Source s : sources) {
            Set<String> pkgOwners = owners.getOrDefault(s.pkg(), Set.of());
            Set<String> others = new TreeSet<>(pkgOwners);
            others.remove(s.module());
            if (!others.isEmpty() && !isHome(s.module(), pkgOwners)) {
                problems.add(where(root, s, lineOf(s.text(), PACKAGE)) + ": declares package " + s.pkg()
                        + ", which " + String.join(", ", others) + " owns (a split package)");
            }
            String[] lines = s.text().split("\n", -1);
            String[] code = withoutCommentsAndStrings(s.text()).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher imp = IMPORT.matcher(lines[i]);
                if (imp.find()) {
                    String pkg = internalPackage(imp.group(1));
                    if (pkg != null && !mayUse(owners, s.module(), pkg)) {
                        problems.add(where(root, s, i + 1) + ": imports " + imp.group(1) + ", internal to "
                                + ownerName(owners, pkg));
                    }
                    continue;
                }
                Matcher q = QUALIFIED_INTERNAL.matcher(i < code.length ? code[i] : "");
                while (q.find()) {
                    String pkg = q.group(1);
                    if (!mayUse(owners, s.module(), pkg)) {
                        problems.add(where(root, s, i + 1) + ": uses " + pkg + ", internal to " + ownerName(owners, pkg));
                    }
                }
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(null);
            fail(problems.size() + " use(s) of another module's internals; go through an exported package instead"
                    + " (docs/ARCHITECTURE.md, \"Bundle boundaries\"):\n  " + String.join("\n  ", problems));
        }
    }

    @Test
    public void theScanSeesImportsAndQualifiedNamesInCodeOnly() {
        assertEquals("org.edgeha.recovery.internal", internalPackage("org.edgeha.recovery.internal.StandaloneRecovery"));
        assertEquals("org.edgeha.recovery.strategy.backoff.internal",
                internalPackage("org.edgeha.recovery.strategy.backoff.internal.BackoffRecovery.Result"));
        assertEquals("org.edgeha.features.internal", internalPackage("org.edgeha.features.internal"));
        assertNull(internalPackage("org.edgeha.recovery.api.HaConnections"));
        assertNull(internalPackage("org.example.internal.Thing"));

        String code = withoutCommentsAndStrings("a = org.edgeha.x.internal.Y.make(); // org.edgeha.c.internal.Z\n"
                + "/* org.edgeha.b.internal.Q\n */ s = \"org.edgeha.d.internal.S\" + 'x' + '\\'' + \"tcp://h\";\n"
                + "t = org.edgeha.e.internal.T.class;");
        assertEquals("lines are kept", 4, code.split("\n", -1).length);
        Matcher m = QUALIFIED_INTERNAL.matcher(code);
        List<String> found = new ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        assertEquals(List.of("org.edgeha.x.internal", "org.edgeha.e.internal"), found);
    }

    /** The split-package check's exception: a bundle's own file, when that bundle is the package's one bundle owner. */
    private static boolean isHome(String module, Set<String> owners) {
        List<String> bundles = owners.stream().filter(m -> m.startsWith("bundles/")).toList();
        return bundles.size() == 1 && bundles.get(0).equals(module);
    }

    /** Only the package's home may use it: its one bundle owner, else (no bundle owns it) any module that declares it. */
    private static boolean mayUse(Map<String, Set<String>> owners, String module, String pkg) {
        Set<String> pkgOwners = owners.getOrDefault(pkg, Set.of());
        return isHome(module, pkgOwners)
                || pkgOwners.contains(module) && pkgOwners.stream().noneMatch(m -> m.startsWith("bundles/"));
    }

    private static String ownerName(Map<String, Set<String>> owners, String pkg) {
        Set<String> modules = owners.get(pkg);
        return modules == null ? "no module's main sources (" + pkg + ")" : String.join(", ", modules);
    }

    /** @return the package of an imported name when it passes through an {@code internal} segment, else null */
    static String internalPackage(String imported) {
        if (!imported.startsWith("org.edgeha.")) {
            return null;
        }
        String[] parts = imported.split("\\.");
        StringBuilder pkg = new StringBuilder();
        boolean internal = false;
        for (String part : parts) {
            if (!part.isEmpty() && Character.isUpperCase(part.charAt(0))) {
                break; // a type: the package ended before it
            }
            pkg.append(pkg.length() == 0 ? "" : ".").append(part);
            internal |= part.equals("internal");
        }
        return internal ? pkg.toString() : null;
    }

    /** @return the text with comments and string and char literals blanked, lines kept */
    static String withoutCommentsAndStrings(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '/' && i + 1 < n && text.charAt(i + 1) == '/') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && text.charAt(i + 1) == '*') {
                int end = text.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                text.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                i = end;
            } else if (text.startsWith("\"\"\"", i)) {
                int end = text.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                text.substring(i, end).chars().filter(ch -> ch == '\n').forEach(ch -> out.append('\n'));
                out.append("\"\"");
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && text.charAt(j) != c && text.charAt(j) != '\n') {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                out.append(c).append(c);
                i = Math.min(n, j + 1);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean isMain(Path root, Source s) {
        return root.relativize(s.file()).toString().replace('\\', '/').startsWith(s.module() + "/src/main/java/");
    }

    private static String where(Path root, Source s, int line) {
        return root.relativize(s.file()).toString().replace('\\', '/') + ":" + line;
    }

    private static int lineOf(String text, Pattern pattern) {
        Matcher m = pattern.matcher(text);
        return m.find() ? (int) text.substring(0, m.start(1)).chars().filter(c -> c == '\n').count() + 1 : 1;
    }

    /** The folder above the distro module that holds the parent pom and {@code bundles/}. */
    private static Path repositoryRoot() {
        Path dir = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("bundles")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (a folder with pom.xml and bundles/) above " + dir);
    }

    private static List<Source> sources(Path root) throws IOException {
        List<Source> sources = new ArrayList<>();
        Map<Path, String> moduleOf = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(final Path dir, final BasicFileAttributes attrs) {
                String name = dir.getFileName() == null ? "" : dir.getFileName().toString();
                // build output (gateway homes and unpacked peers of the tests included) and version control
                return !dir.equals(root) && (name.equals("target") || name.startsWith("."))
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(final Path file, final BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".java")) {
                    String text = Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n");
                    Matcher m = PACKAGE.matcher(text);
                    String module = moduleOf.computeIfAbsent(file.getParent(), d -> module(root, d));
                    sources.add(new Source(file, module, m.find() ? m.group(1) : "", text));
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return sources;
    }

    /** @return the folder (relative to the root) of the nearest pom.xml at or above {@code dir} */
    private static String module(Path root, Path dir) {
        for (Path p = dir; p != null && p.startsWith(root); p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml"))) {
                return root.relativize(p).toString().replace('\\', '/');
            }
        }
        return "";
    }
}
