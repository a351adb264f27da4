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
        md.append("- Sizes: ");
        if (!options.memoryOnly()) {
            md.append(options.bytesPerCase() >> 20).append(" MiB per throughput case (split over the streams), ")
                    .append(options.runs()).append(" runs (medians shown), ");
        }
        if (!options.throughputOnly()) {
            if (!options.memoryOnly()) {
                md.append(options.opens()).append(" opens per latency figure, ");
            }
            md.append(options.idleSessions()).append(" idle sessions, ").append(options.openStreams())
                    .append(" open streams");
        }
        md.append("\n\n");

        if (!options.memoryOnly()) {
            throughputTable(md);
            if (options.throughputOnly()) {
                return md.toString();
            }
            latencyTable(md);
        }
        memoryTable(md);
        return md.toString();
    }

    private void throughputTable(StringBuilder md) {
        List<Path> paths = options.paths();
        boolean ratios = paths.contains(Path.PLAIN_TLS);
        md.append("#### Throughput (MiB/s) and CPU (s per GiB moved; event-loop threads only)\n\n");
        StringBuilder header = new StringBuilder("| Engine / I/O | Case |");
        StringBuilder align = new StringBuilder("|---|---|");
        for (Path path : paths) {
            header.append(' ').append(label(path)).append(" |");
            align.append("---:|");
            if (ratios && path != Path.PLAIN_TLS) {
                header.append(' ').append(label(path)).append(" / plain |");
                align.append("---:|");
            }
        }
        String pathNames = paths.stream().map(Report::label).collect(Collectors.joining(" / "));
        header.append(" Client CPU ").append(pathNames).append(" | Server CPU ").append(pathNames)
                .append(" | Negotiated |\n");
        align.append("---:|---:|---|\n");
        md.append(header).append(align);
        for (CellResult cell : cells) {
            for (Case c : options.cases()) {
                double plainRate = median(results(cell, c, Path.PLAIN_TLS), ThroughputProbe.Result::mibPerSecond);
                md.append("| ").append(cell.engine).append(" / ").append(cell.io).append(" | ").append(c.label())
                        .append(" |");
                for (Path path : paths) {
                    double rate = median(results(cell, c, path), ThroughputProbe.Result::mibPerSecond);
                    md.append(String.format(Locale.ROOT, " %.0f |", rate));
                    if (ratios && path != Path.PLAIN_TLS) {
                        md.append(String.format(Locale.ROOT, " %.0f %% |", 100 * rate / plainRate));
                    }
                }
                md.append(' ').append(joinMedians(cell, c, ThroughputProbe.Result::clientCpuSecondsPerGib))
                        .append(" | ").append(joinMedians(cell, c, ThroughputProbe.Result::serverCpuSecondsPerGib))
                        .append(" | ").append(ciphers(results(cell, c, Path.PLAIN_TLS), results(cell, c, Path.ANYTLS)))
                        .append(" |\n");
            }
        }
        if (paths.contains(Path.SOCKS5)) {
            md.append("\nSOCKS5: an application connection to the reference host (in-process, its own NIO loop),"
                    + " relayed into an AnyTLS stream of the same transport; client CPU includes the host's loop,"
                    + " not the application's.\n");
        }
    }

    private String joinMedians(CellResult cell, Case c, ToDoubleFunction<ThroughputProbe.Result> f) {
        return options.paths().stream()
                .map(path -> String.format(Locale.ROOT, "%.2f", median(results(cell, c, path), f)))
                .collect(Collectors.joining(" / "));
    }

    private static String label(Path path) {
        switch (path) {
            case PLAIN_TLS:
                return "Plain TLS";
            case ANYTLS:
                return "AnyTLS";
            default:
                return "SOCKS5";
        }
    }

    private void latencyTable(StringBuilder md) {
        md.append("\n#### Stream-open latency (ms)\n\n");
        md.append("| Engine / I/O | Warm pooled session p50 | p99 | Cold (new session) p50 | p99 |"
                + " SOCKS5 warm p50 | p99 | Plain TLS connect + handshake p50 | p99 |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CellResult cell : cells) {
            md.append(String.format(Locale.ROOT, "| %s / %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
                    cell.engine, cell.io,
                    percentileMedian(cell.warm, 50), percentileMedian(cell.warm, 99),
                    percentileMedian(cell.cold, 50), percentileMedian(cell.cold, 99),
                    percentileMedian(cell.socksWarm, 50), percentileMedian(cell.socksWarm, 99),
                    percentileMedian(cell.plainConnect, 50), percentileMedian(cell.plainConnect, 99)));
        }
        md.append("\nWarm and cold: `open()` on the SPI to the stream's SYNACK. SOCKS5 warm: connect to the host,"
                + " greeting, CONNECT, the host's reply (sent after the SYNACK), on a pooled session.\n");
    }

    private void memoryTable(StringBuilder md) {
        md.append("\n#### Memory (client in the harness's process; servers and sink in child JVMs)\n\n");
        md.append("| Engine / I/O | Idle pooled sessions | Client heap per session | Server heap per session |"
                + " Open streams | Client heap per stream | Server heap per stream |"
                + " Client pooled direct per session / stream |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (CellResult cell : cells) {
            md.append(String.format(Locale.ROOT, "| %s / %s | %,d | %,d B | %,d B | %,d | %,d B | %,d B | %,d B / %,d B |%n",
                    cell.engine, cell.io,
                    cell.idleSessions.count(), cell.idleSessions.clientHeapBytesPerItem(),
                    cell.idleSessions.serverHeapBytesPerItem(),
                    cell.openStreams.count(), cell.openStreams.clientHeapBytesPerItem(),
                    cell.openStreams.serverHeapBytesPerItem(),
                    cell.idleSessions.directBytesPerItem(), cell.openStreams.directBytesPerItem()));
        }
        md.append("\nA stream is one per session (the pool's rule), so a stream's figure includes its session."
                + " Server heap is the sum over the AnyTLS server children (two for streams, a third for idle"
                + " sessions); the sink's is not counted.\n");
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
        if (plain.isEmpty() || anytls.isEmpty()) {
            // The SOCKS5 application's own connection has no TLS: only these two paths say what was negotiated.
            return plain.isEmpty() ? anyCipher : plainCipher;
        }
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
