package org.anytls4j.benchmarks.e2e;

import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.tls.TlsProvider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Command-line options of {@link LoopbackHarness}; every size can be scaled down for a smoke run. */
record HarnessOptions(long bytesPerCase, int runs, int opens, int idleSessions, int openStreams,
                      List<TlsProvider> engines, List<IoRuntime.Kind> ioKinds, List<ThroughputProbe.Path> paths,
                      List<LoopbackHarness.Case> cases, boolean throughputOnly, boolean memoryOnly, Path out,
                      Path update,
                      String commandLine) {

    private static final long MIB = 1L << 20;

    static String usage() {
        return "usage: LoopbackHarness [--full | --smoke] [--mib=N] [--runs=N] [--opens=N] [--sessions=N]"
                + " [--streams=N] [--engines=JDK,OPENSSL] [--io=NIO,EPOLL] [--paths=PLAIN_TLS,ANYTLS,SOCKS5]"
                + " [--cases=1d,1u,8d,8u] [--throughput-only | --memory-only] [--out=FILE] [--update=BENCHMARKS.md]";
    }

    static HarnessOptions parse(String[] args) {
        // Default: fits the 10-minute budget on 2 cores (128 MiB per case since the SOCKS5 path made it three paths
        // per case: fewer bytes in all than the two paths at 256 MiB before); --full is the sizes, 1 GiB per
        // throughput case and 10 000 open streams.
        long mib = 128;
        int runs = 3;
        int opens = 1000;
        int sessions = 1000;
        int streams = 2000;
        List<TlsProvider> engines = List.of(TlsProvider.JDK, TlsProvider.OPENSSL);
        List<IoRuntime.Kind> io = List.of(IoRuntime.Kind.NIO, IoRuntime.Kind.EPOLL);
        Path out = Path.of("benchmarks", "target", "e2e-results.md");
        List<ThroughputProbe.Path> paths = List.of(ThroughputProbe.Path.values());
        List<LoopbackHarness.Case> cases = LoopbackHarness.CASES;
        boolean throughputOnly = false;
        boolean memoryOnly = false;
        Path update = null;
        for (String arg : args) {
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            switch (name) {
                case "--full":
                    mib = 1024;
                    streams = 10_000;
                    break;
                case "--smoke":
                    mib = 8;
                    runs = 1;
                    opens = 20;
                    sessions = 20;
                    streams = 20;
                    break;
                case "--mib":
                    mib = positive(name, value);
                    break;
                case "--runs":
                    runs = (int) positive(name, value);
                    break;
                case "--opens":
                    opens = (int) positive(name, value);
                    break;
                case "--sessions":
                    sessions = (int) positive(name, value);
                    break;
                case "--streams":
                    streams = (int) positive(name, value);
                    break;
                case "--engines":
                    engines = list(name, value, TlsProvider.class);
                    break;
                case "--io":
                    io = list(name, value, IoRuntime.Kind.class);
                    break;
                case "--paths":
                    paths = list(name, value, ThroughputProbe.Path.class);
                    break;
                case "--cases":
                    cases = cases(value);
                    break;
                case "--throughput-only":
                    throughputOnly = true;
                    break;
                case "--memory-only":
                    memoryOnly = true;
                    break;
                case "--out":
                    out = Path.of(value);
                    break;
                case "--update":
                    update = Path.of(value);
                    break;
                default:
                    throw new IllegalArgumentException("unknown option " + arg + "\n" + usage());
            }
        }
        if (throughputOnly && memoryOnly) {
            throw new IllegalArgumentException("--throughput-only and --memory-only exclude each other");
        }
        return new HarnessOptions(mib * MIB, runs, opens, sessions, streams, engines, io, paths, cases,
                throughputOnly, memoryOnly, out, update, String.join(" ", args));
    }

    /** Cases as {@code <streams><d|u>}, e.g. {@code 1u,8d}: for profiling one of them alone. */
    private static List<LoopbackHarness.Case> cases(String value) {
        List<LoopbackHarness.Case> cases = new ArrayList<>();
        for (String item : value.split(",")) {
            String token = item.trim().toLowerCase(Locale.ROOT);
            if (!token.matches("[0-9]+[du]")) {
                throw new IllegalArgumentException("--cases: '" + item + "' is not <streams><d|u>, e.g. 1u or 8d");
            }
            int streams = Integer.parseInt(token.substring(0, token.length() - 1));
            if (streams < 1) {
                throw new IllegalArgumentException("--cases: '" + item + "' needs at least one stream");
            }
            cases.add(new LoopbackHarness.Case(streams, token.endsWith("d")));
        }
        return List.copyOf(cases);
    }

    private static long positive(String name, String value) {
        try {
            long parsed = Long.parseLong(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new IllegalArgumentException(name + " needs a positive whole number, was '" + value + "'");
    }

    private static <E extends Enum<E>> List<E> list(String name, String value, Class<E> type) {
        List<E> parsed = new ArrayList<>();
        for (String item : value.split(",")) {
            try {
                parsed.add(Enum.valueOf(type, item.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException unknown) {
                throw new IllegalArgumentException(name + ": unknown value '" + item + "'", unknown);
            }
        }
        if (parsed.isEmpty()) {
            throw new IllegalArgumentException(name + " needs at least one value");
        }
        return parsed;
    }
}
