package org.anytls4j.benchmarks.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.anytls4j.anytls.wire.SocksAddress;
import org.anytls4j.transport.api.Destination;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/** {@code Destination} parsing (what a host does per request) and the SOCKS address the server reads per stream. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DestinationBenchmark {
    @Param({"www.example.com:443", "192.0.2.10:8080", "[2001:db8::1]:443"})
    public String hostPort;

    private ByteBuf socksAddress;

    @Setup
    public void setUp() {
        InetSocketAddress address = Destination.parse(hostPort).toSocketAddress();
        socksAddress = Unpooled.directBuffer(SocksAddress.encodedLength(address));
        SocksAddress.encode(socksAddress, address);
    }

    @TearDown
    public void tearDown() {
        socksAddress.release();
    }

    @Benchmark
    public Destination parse() {
        return Destination.parse(hostPort);
    }

    @Benchmark
    public InetSocketAddress decodeSocksAddress() {
        return SocksAddress.decode(socksAddress.duplicate());
    }
}
