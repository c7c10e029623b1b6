package org.edgeha.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Collects the scenarios' tables and writes docs/BENCHMARKS.md. */
final class Report {

    /** One row: what was measured, its figures, and the goal it is held against. */
    record Row(String scenario, String median, String p99, String ratio, String goal, String met) {
    }

    private final List<String> sections = new ArrayList<>();
    private final String mode;

    Report(String mode) {
        this.mode = mode;
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

    void write(Path file) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# EdgeHA benchmarks\n\n");
        md.append("Written by `benchmarks/run` (").append(mode).append(" mode) on ")
                .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE)).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(". Every comparison is measured side by side in ")
                .append("one run; the machine is shared and noisy, so medians and p99 over many repetitions are ")
                .append("quoted. Reproduce with `benchmarks/run` (`--quick` for a short check).\n\n");
        sections.forEach(s -> md.append(s).append("\n"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, md.toString());
    }
}
