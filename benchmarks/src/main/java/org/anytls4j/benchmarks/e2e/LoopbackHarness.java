package org.anytls4j.benchmarks.e2e;

import org.anytls4j.anytls.client.AnyTlsClientTransport;
import org.anytls4j.anytls.client.pool.PoolOptions;
import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.tls.TlsProvider;
import org.anytls4j.host.proxy.ProxyServer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end-to-end loopback harness: for every TLS engine and I/O transport, measures AnyTLS through the client
 * transport's SPI and through the reference host's SOCKS5 port against plain TLS with the same engine (throughput,
 * CPU per GiB), stream-open latency, and heap per session and stream (client in this process, servers in child JVMs),
 * then writes the medians as Markdown tables. Run it through {@code benchmarks/run-e2e.sh}.
 */
public final class LoopbackHarness {
    /** The four throughput cases of the issue: one and eight streams, download and upload. */
    record Case(int streams, boolean download) {
        String label() {
            return streams + (streams == 1 ? " stream " : " streams ") + (download ? "download" : "upload");
        }
    }

    static final List<Case> CASES = List.of(new Case(1, true), new Case(1, false), new Case(8, true),
            new Case(8, false));

    private static final long WARM_UP_BYTES = 48L << 20;
    /** AnyTLS server children for the open-stream heap probe: 10 000 streams need two (see SplitServers). */
    private static final int STREAM_SERVERS = 2;
    private final HarnessOptions options;
    private final PrintStream progress;

    LoopbackHarness(HarnessOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public static void main(String[] args) throws Exception {
        HarnessOptions options;
        try {
            options = HarnessOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        String loadBefore = Machine.loadAverage();
        long started = System.nanoTime();
        LoopbackHarness harness = new LoopbackHarness(options, System.out);
        List<CellResult> cells = new ArrayList<>();
        for (TlsProvider engine : options.engines()) {
            for (IoRuntime.Kind io : options.ioKinds()) {
                cells.add(harness.measure(engine, io));
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String report = new Report(options, cells, loadBefore, Machine.loadAverage(), took).markdown();
        Files.createDirectories(options.out().toAbsolutePath().getParent());
        Files.writeString(options.out(), report, StandardCharsets.UTF_8);
        System.out.println(report);
        System.out.println("results written to " + options.out().toAbsolutePath());
        if (options.update() != null) {
            Report.replaceResults(options.update(), report);
            System.out.println("results section of " + options.update().toAbsolutePath() + " replaced");
        }
    }

    CellResult measure(TlsProvider engine, IoRuntime.Kind io) throws Exception {
        CellResult cell = new CellResult(engine, io);
        try (Rig rig = new Rig(engine, io)) {
            progress.println("== " + rig.label());
            if (!options.memoryOnly()) {
                measureTraffic(rig, cell);
            }
            if (options.throughputOnly()) {
                return cell;
            }
            // Servers and sink in child JVMs: this process then holds the client side only (see SplitServers).
            try (SplitServers remote = new SplitServers(engine, io, STREAM_SERVERS)) {
                HeapProbe heap = new HeapProbe(rig, remote);
                cell.idleSessions = heap.idleSessions(options.idleSessions());
                progress.printf("heap: %d B client, %d B server per idle session (%d)%n",
                        cell.idleSessions.clientHeapBytesPerItem(), cell.idleSessions.serverHeapBytesPerItem(),
                        cell.idleSessions.count());
                cell.openStreams = heap.openStreams(options.openStreams());
                progress.printf("heap: %d B client, %d B server per open stream (%d)%n",
                        cell.openStreams.clientHeapBytesPerItem(), cell.openStreams.serverHeapBytesPerItem(),
                        cell.openStreams.count());
            }
        }
        return cell;
    }

    private void measureTraffic(Rig rig, CellResult cell) throws Exception {
        AnyTlsClientTransport transport = rig.newTransport("bench-throughput", PoolOptions.defaults());
        ProxyServer host = rig.newHost(transport);
        try {
            ThroughputProbe throughput = new ThroughputProbe(rig, transport, host);
            LatencyProbe latency = new LatencyProbe(rig);
            // Sessions and JIT warm up on a transfer per case first; it is not recorded. 8 MiB was too little:
            // the first recorded AnyTLS upload then ran partly interpreted, at 5-10x the client CPU of later runs.
            for (Case c : options.cases()) {
                for (ThroughputProbe.Path path : options.paths()) {
                    throughput.run(path, c.download(), c.streams(), Math.min(options.bytesPerCase(), WARM_UP_BYTES)
                            / c.streams(), timeout());
                }
            }
            for (int run = 1; run <= options.runs(); run++) {
                for (Case c : options.cases()) {
                    for (ThroughputProbe.Path path : options.paths()) {
                        ThroughputProbe.Result result = throughput.run(path, c.download(), c.streams(),
                                options.bytesPerCase() / c.streams(), timeout());
                        cell.add(c, path, result);
                        progress.printf("run %d %-22s %-9s %8.1f MiB/s  cpu client %.2f s/GiB server %.2f s/GiB"
                                        + "  %s%n", run, c.label(), path, result.mibPerSecond(),
                                result.clientCpuSecondsPerGib(), result.serverCpuSecondsPerGib(),
                                result.cipher());
                    }
                }
                if (options.throughputOnly()) {
                    continue;
                }
                cell.warm.add(latency.warm(options.opens()));
                cell.cold.add(latency.cold(options.opens()));
                cell.socksWarm.add(latency.socksWarm(options.opens()));
                cell.plainConnect.add(latency.plainTls(options.opens()));
                progress.printf("run %d open latency: warm p50 %.3f ms, cold p50 %.3f ms, SOCKS5 warm p50 %.3f ms,"
                                + " plain TLS p50 %.3f ms%n",
                        run, Percentiles.of(cell.warm.get(run - 1), 50) / 1e6,
                        Percentiles.of(cell.cold.get(run - 1), 50) / 1e6,
                        Percentiles.of(cell.socksWarm.get(run - 1), 50) / 1e6,
                        Percentiles.of(cell.plainConnect.get(run - 1), 50) / 1e6);
            }
        } finally {
            host.close();
            transport.close();
        }
    }

    private Duration timeout() {
        // Generous: even 1 GiB at 20 MiB/s on a loaded machine fits.
        return Duration.ofSeconds(60 + options.bytesPerCase() / (20L << 20));
    }

    /** Everything measured in one cell of the matrix. */
    static final class CellResult {
        final TlsProvider engine;
        final IoRuntime.Kind io;
        final Map<Case, Map<ThroughputProbe.Path, List<ThroughputProbe.Result>>> throughput = new LinkedHashMap<>();
        final List<long[]> warm = new ArrayList<>();
        final List<long[]> cold = new ArrayList<>();
        final List<long[]> socksWarm = new ArrayList<>();
        final List<long[]> plainConnect = new ArrayList<>();
        HeapProbe.Result idleSessions;
        HeapProbe.Result openStreams;

        CellResult(TlsProvider engine, IoRuntime.Kind io) {
            this.engine = engine;
            this.io = io;
        }

        void add(Case c, ThroughputProbe.Path path, ThroughputProbe.Result result) {
            throughput.computeIfAbsent(c, k -> new LinkedHashMap<>())
                    .computeIfAbsent(path, k -> new ArrayList<>())
                    .add(result);
        }
    }

    /** Facts about the machine for the report header. */
    static final class Machine {
        private Machine() {
        }

        static String loadAverage() {
            try {
                return Files.readString(Path.of("/proc/loadavg")).trim();
            } catch (IOException | RuntimeException unavailable) {
                return "unavailable";
            }
        }

        static String cpu() {
            try {
                return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                        .filter(line -> line.startsWith("model name"))
                        .map(line -> line.substring(line.indexOf(':') + 1).trim())
                        .findFirst().orElse("unknown CPU");
            } catch (IOException | RuntimeException unavailable) {
                return System.getProperty("os.arch");
            }
        }
    }
}
