package org.anytls4j.benchmarks.e2e;

import org.anytls4j.benchmarks.e2e.LoopbackHarness.Case;
import org.anytls4j.benchmarks.e2e.LoopbackHarness.CellResult;
import org.anytls4j.benchmarks.e2e.ThroughputProbe.Path;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/** Renders the harness results as Markdown: medians over the runs, one table per measurement. */
final class Report {
    static final String BEGIN = "<!-- e2e-results:begin -->";
    static final String END = "<!-- e2e-results:end -->";

    private final HarnessOptions options;
    private final List<CellResult> cells;
    private final String loadBefore;
    private final String loadAfter;
    private final Duration took;

    Report(HarnessOptions options, List<CellResult> cells, String loadBefore, String loadAfter, Duration took) {
        this.options = options;
        this.cells = cells;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.took = took;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("Run ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
                .append(" with `benchmarks/run-e2e.sh ").append(options.commandLine()).append("`")
                .append(" in ").append(took.toSeconds()).append(" s.\n\n");
        md.append("- Machine: ").append(LoopbackHarness.Machine.cpu()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" cores; ")
                .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append("; ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.version")).append(", max heap ")
                .append(Runtime.getRuntime().maxMemory() >> 20).append(" MiB\n");
        md.append("- Load average (1/5/15 min, runnable/total, last pid) before: `").append(loadBefore)
                .append("`, after: `").append(loadAfter).append("`\n");
        md.append("- Sizes: ").append(options.bytesPerCase() >> 20).append(" MiB per throughput case (split over the")
                .append(" streams), ").append(options.runs()).append(" runs (medians shown), ")
                .append(options.opens()).append(" opens per latency figure, ").append(options.idleSessions())
                .append(" idle sessions, ").append(options.openStreams()).append(" open streams\n\n");

        md.append("#### Throughput (MiB/s) and CPU (s per GiB moved; event-loop threads only)\n\n");
        md.append("| Engine / I/O | Case | Plain TLS | AnyTLS | AnyTLS / plain | Client CPU plain / AnyTLS |"
                + " Server CPU plain / AnyTLS | Negotiated |\n");
        md.append("|---|---|---:|---:|---:|---:|---:|---|\n");
        for (CellResult cell : cells) {
            for (Case c : options.cases()) {
                List<ThroughputProbe.Result> plain = results(cell, c, Path.PLAIN_TLS);
                List<ThroughputProbe.Result> anytls = results(cell, c, Path.ANYTLS);
                double plainRate = median(plain, ThroughputProbe.Result::mibPerSecond);
                double anyRate = median(anytls, ThroughputProbe.Result::mibPerSecond);
                md.append(String.format(Locale.ROOT, "| %s / %s | %s | %.0f | %.0f | %.0f %% | %.2f / %.2f |"
                                + " %.2f / %.2f | %s |%n", cell.engine, cell.io, c.label(), plainRate, anyRate,
                        100 * anyRate / plainRate,
                        median(plain, ThroughputProbe.Result::clientCpuSecondsPerGib),
                        median(anytls, ThroughputProbe.Result::clientCpuSecondsPerGib),
                        median(plain, ThroughputProbe.Result::serverCpuSecondsPerGib),
                        median(anytls, ThroughputProbe.Result::serverCpuSecondsPerGib),
                        ciphers(plain, anytls)));
            }
        }

        if (options.throughputOnly()) {
            return md.toString();
        }
        md.append("\n#### Stream-open latency through the SPI (ms)\n\n");
        md.append("| Engine / I/O | Warm pooled session p50 | p99 | Cold (new session) p50 | p99 |"
                + " Plain TLS connect + handshake p50 | p99 |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (CellResult cell : cells) {
            md.append(String.format(Locale.ROOT, "| %s / %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
                    cell.engine, cell.io,
                    percentileMedian(cell.warm, 50), percentileMedian(cell.warm, 99),
                    percentileMedian(cell.cold, 50), percentileMedian(cell.cold, 99),
                    percentileMedian(cell.plainConnect, 50), percentileMedian(cell.plainConnect, 99)));
        }

        md.append("\n#### Memory (client and server in one JVM: each figure is both ends)\n\n");
        md.append("| Engine / I/O | Heap per idle pooled session | Pooled direct per idle session |"
                + " Heap per open stream | Pooled direct per open stream |\n");
        md.append("|---|---:|---:|---:|---:|\n");
        for (CellResult cell : cells) {
            md.append(String.format(Locale.ROOT, "| %s / %s | %,d B (at %d) | %,d B | %,d B (at %d) | %,d B |%n",
                    cell.engine, cell.io,
                    cell.idleSessions.heapBytesPerItem(), cell.idleSessions.count(),
                    cell.idleSessions.directBytesPerItem(),
                    cell.openStreams.heapBytesPerItem(), cell.openStreams.count(),
                    cell.openStreams.directBytesPerItem()));
        }
        return md.toString();
    }

    private static List<ThroughputProbe.Result> results(CellResult cell, Case c, Path path) {
        return cell.throughput.getOrDefault(c, Map.of()).getOrDefault(path, List.of());
    }

    private static double median(List<ThroughputProbe.Result> results, ToDoubleFunction<ThroughputProbe.Result> f) {
        return Percentiles.median(results.stream().map(f::applyAsDouble).collect(Collectors.toList()));
    }

    private static double percentileMedian(List<long[]> runs, double p) {
        return Percentiles.median(runs.stream().map(run -> Percentiles.of(run, p) / 1e6).collect(Collectors.toList()));
    }

    private static String ciphers(List<ThroughputProbe.Result> plain, List<ThroughputProbe.Result> anytls) {
        String plainCipher = plain.isEmpty() ? "n/a" : plain.get(0).cipher();
        String anyCipher = anytls.isEmpty() ? "n/a" : anytls.get(0).cipher();
        return plainCipher.equals(anyCipher) ? plainCipher : "plain " + plainCipher + ", AnyTLS " + anyCipher;
    }

    /** Replaces the text between the result markers of {@code file} with {@code results}. */
    static void replaceResults(java.nio.file.Path file, String results) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(file + " has no " + BEGIN + " ... " + END + " section to replace");
        }
        String replaced = text.substring(0, begin + BEGIN.length()) + "\n" + results + "\n" + text.substring(end);
        Files.writeString(file, replaced, StandardCharsets.UTF_8);
    }
}
