package org.edgeha.benchmarks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.Test;

/**
 * The CI smoke run of the benchmarks: {@code benchmarks/run --quick} as a child JVM, writing into target/. It checks
 * that the harness works (every scenario ran, every table has figures, every chart is a readable PNG), never the
 * figures themselves: those belong to the full run on a quiet machine (docs/BENCHMARKS.md).
 */
public class BenchmarkSmokeIT {

    private static final Pattern CHART = Pattern.compile("!\\[[^]]*]\\((benchmarks/[^)]+\\.png)\\)");

    @Test
    public void theQuickModeRunsEveryScenarioAndWritesTheReportAndItsCharts() throws Exception {
        Path out = Path.of(System.getProperty("edgeha.benchmarks.smoke.dir", "target/benchmark-smoke"))
                .toAbsolutePath();
        GroupOverMqttBenchmarks.deleteTree(out);
        Files.createDirectories(out);
        Path report = out.resolve("BENCHMARKS.md");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dedgeha.gateway.jar=" + System.getProperty("edgeha.gateway.jar"),
                "-Dedgeha.benchmarks.probe.jar=" + System.getProperty("edgeha.benchmarks.probe.jar"),
                "-Dedgeha.gateway.runtimeTarball=" + System.getProperty("edgeha.gateway.runtimeTarball", ""),
                "-cp", System.getProperty("java.class.path"), BenchmarkMain.class.getName(), "--quick",
                "--out", report.toString()));
        Path console = out.resolve("console.txt");
        Process run = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(console.toFile()).start();
        boolean ended = run.waitFor(15, TimeUnit.MINUTES);
        if (!ended) {
            run.descendants().forEach(ProcessHandle::destroyForcibly);
            run.destroyForcibly();
        }
        String output = Files.readString(console, StandardCharsets.UTF_8);
        assertTrue("the quick run did not end within 15 minutes:\n" + tail(output), ended);
        int status = run.exitValue();
        // A status above 128 is a signal from outside (137: SIGKILL, e.g. the kernel's OOM killer): say so, since the
        // run itself then leaves no message (seen once in CI right after the peers scenario)
        assertEquals("the quick run failed with exit status " + status
                + (status > 128 ? " (killed by signal " + (status - 128) + ")" : "") + ":\n" + tail(output), 0, status);

        String md = Files.readString(report, StandardCharsets.UTF_8);
        assertTrue(md, md.startsWith("# EdgeHA benchmarks"));
        assertTrue(md, md.contains("(quick mode)"));
        assertFalse("a scenario was not measured:\n" + md, md.contains("Not measured"));
        // The small-gateway scenario runs where the benchmark may make cgroups (root, cgroup v1), as in CI.
        java.util.Optional<String> noCgroups = Cgroup.unavailable();
        if (noCgroups.isEmpty()) {
            assertTrue("no small-gateway section although cgroups can be made here:\n" + md,
                    md.contains("\n## " + SmallGatewayBenchmarks.TITLE + "\n"));
            String tarball = System.getProperty("edgeha.gateway.runtimeTarball", "");
            if (!tarball.isEmpty() && Files.isRegularFile(Path.of(tarball))) {
                assertTrue("no installed-gateway rows although the runtime tarball is there:\n" + md,
                        md.contains("EdgeHA installed, the next start"));
            }
        } else {
            System.out.println("BenchmarkSmokeIT: the small-gateway scenario is not checked here: " + noCgroups.get());
        }
        for (String section : md.split("\n## ")) {
            if (section.startsWith("# EdgeHA")) {
                continue;
            }
            String title = section.lines().findFirst().orElse("");
            List<String> rows = section.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| Scenario")
                    && !l.startsWith("| What |")).toList();
            assertFalse("section " + title + " has no rows", rows.isEmpty());
            for (String row : rows) {
                String[] cells = row.split("\\|");
                assertTrue("section " + title + ": a row without a median: " + row,
                        cells.length > 2 && !cells[2].isBlank());
            }
        }
        Matcher charts = CHART.matcher(md);
        int count = 0;
        while (charts.find()) {
            Path png = out.resolve(charts.group(1));
            BufferedImage image = readPng(png);
            assertNotNull(png + " is not a readable PNG", image);
            assertTrue(png + " is empty", image.getWidth() > 100 && image.getHeight() > 100);
            count++;
        }
        assertTrue("the report shows no chart:\n" + md, count > 0);
    }

    private static BufferedImage readPng(Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        return Files.isRegularFile(png) ? ImageIO.read(png.toFile()) : null;
    }

    private static String tail(String s) {
        return s.substring(Math.max(0, s.length() - 6_000));
    }
}
