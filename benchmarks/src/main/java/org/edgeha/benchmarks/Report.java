package org.edgeha.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Collects the scenarios' tables and writes docs/BENCHMARKS.md. Scenarios also leave named figures
 * ({@link #figure(String, double)}) for comparisons across scenarios, add rows to the summary table at the top
 * ({@link #summary(Row)}), and draw PNG charts next to the report ({@link #chart}, {@link #barChart}).
 * Single-threaded: the scenarios run one after another on the main thread.
 */
final class Report {

    /** One row: what was measured, its figures, and the goal it is held against. */
    record Row(String scenario, String median, String p99, String ratio, String goal, String met) {
    }

    private final List<String> sections = new ArrayList<>();
    private final List<Row> summary = new ArrayList<>();
    private final Map<String, Double> figures = new LinkedHashMap<>();
    private final String mode;
    private final Path file;

    /**
     * @param mode "quick" or "full"
     * @param file where the report is written; charts go to the folder {@code benchmarks/} beside it
     */
    Report(String mode, Path file) {
        this.mode = mode;
        this.file = file;
    }

    boolean quick() {
        return "quick".equals(mode);
    }

    /** Keeps a figure (nanoseconds for times, plain numbers otherwise) for a later scenario or the summary. */
    void figure(String key, double value) {
        figures.put(key, value);
    }

    /** @return a figure kept by a scenario that ran before, if it ran */
    OptionalDouble figure(String key) {
        Double v = figures.get(key);
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** Adds a row to the summary table at the top of the report: one row per goal, in the order added. */
    void summary(Row row) {
        summary.add(row);
    }

    /**
     * Draws a line chart to {@code benchmarks/<stem>.png} beside the report.
     *
     * @return the Markdown that shows it, to put into a section's notes
     */
    String chart(String stem, String title, String xLabel, String yLabel, boolean logY, List<Charts.Series> series)
            throws IOException {
        Path dir = file.toAbsolutePath().getParent().resolve("benchmarks");
        Charts.line(dir.resolve(stem + ".png"), title, xLabel, yLabel, logY, series);
        return "![" + title + "](benchmarks/" + stem + ".png)";
    }

    /**
     * Draws a bar chart to {@code benchmarks/<stem>.png} beside the report (see {@link Charts#bar}).
     *
     * @return the Markdown that shows it, to put into a section's notes
     */
    String barChart(String stem, String title, String yLabel, List<String> categories, List<Charts.Bars> groups)
            throws IOException {
        Path dir = file.toAbsolutePath().getParent().resolve("benchmarks");
        Charts.bar(dir.resolve(stem + ".png"), title, yLabel, categories, groups);
        return "![" + title + "](benchmarks/" + stem + ".png)";
    }

    void section(String title, String setup, List<Row> rows, String notes) {
        StringBuilder md = new StringBuilder();
        md.append("## ").append(title).append("\n\n").append(setup).append("\n\n");
        md.append("| Scenario | Median | p99 | Ratio | Goal | Met |\n|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            md.append("| ").append(r.scenario()).append(" | ").append(r.median()).append(" | ").append(r.p99())
                    .append(" | ").append(r.ratio()).append(" | ").append(r.goal()).append(" | ").append(r.met())
                    .append(" |\n");
        }
        if (notes != null && !notes.isBlank()) {
            md.append("\n").append(notes).append("\n");
        }
        sections.add(md.toString());
    }

    void write() throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# EdgeHA benchmarks\n\n");
        md.append("Written by `benchmarks/run` (").append(mode).append(" mode) on ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE)).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(". Every comparison is measured side by side in ")
                .append("one run; the machine is shared and noisy, so medians and p99 over many repetitions are ")
                .append("quoted, with the spread in each section's notes. Reproduce with `benchmarks/run` (full mode, about ")
                .append("25 minutes) or `benchmarks/run --quick` (about 6 minutes, rough figures; `mvn verify` runs it ")
                .append("as the CI smoke check of the harness, `BenchmarkSmokeIT`, which checks that every scenario ran, ")
                .append("never the figures). The peers (JGroups, ZooKeeper/Curator, Karaf, plain Felix) are measured in ")
                .append("the same run on the same machine, loopback only; they have no goals of their own.\n\n");
        if (!summary.isEmpty()) {
            md.append("## Summary\n\nEvery goal of the benchmarks issue (SPEC section 5), with the figure it is held "
                    + "against; the sections below say how each was measured.\n\n");
            md.append("| What | Median | p99 | Ratio | Goal | Met |\n|---|---|---|---|---|---|\n");
            for (Row r : summary) {
                md.append("| ").append(r.scenario()).append(" | ").append(r.median()).append(" | ").append(r.p99())
                        .append(" | ").append(r.ratio()).append(" | ").append(r.goal()).append(" | ")
                        .append(r.met()).append(" |\n");
            }
            md.append("\n");
        }
        sections.forEach(s -> md.append(s).append("\n"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, md.toString());
    }
}
