package org.anytls4j.benchmarks.e2e;

import org.anytls4j.anytls.io.IoRuntime;
import org.anytls4j.anytls.tls.TlsProvider;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Command-line options of {@link LoopbackHarness}; every size can be scaled down for a smoke run. */
record HarnessOptions(long bytesPerCase, int runs, int opens, int idleSessions, int openStreams,
                      List<TlsProvider> engines, List<IoRuntime.Kind> ioKinds, Path out, Path update,
                      String commandLine) {

    private static final long MIB = 1L << 20;

    static String usage() {
        return "usage: LoopbackHarness [--full | --smoke] [--mib=N] [--runs=N] [--opens=N] [--sessions=N]"
                + " [--streams=N] [--engines=JDK,OPENSSL] [--io=NIO,EPOLL] [--out=FILE] [--update=BENCHMARKS.md]";
    }

    static HarnessOptions parse(String[] args) {
        // Default: fits the 10-minute budget on 2 cores; --full is the 1 GiB per throughput case.
        long mib = 256;
        int runs = 3;
        int opens = 1000;
        int sessions = 1000;
        int streams = 2000;
        List<TlsProvider> engines = List.of(TlsProvider.JDK, TlsProvider.OPENSSL);
        List<IoRuntime.Kind> io = List.of(IoRuntime.Kind.NIO, IoRuntime.Kind.EPOLL);
        Path out = Path.of("benchmarks", "target", "e2e-results.md");
        Path update = null;
        for (String arg : args) {
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : "";
            switch (name) {
                case "--full":
                    mib = 1024;
                    streams = 4000;
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
        return new HarnessOptions(mib * MIB, runs, opens, sessions, streams, engines, io, out, update,
                String.join(" ", args));
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
