package org.anytls4j.itests.felix;

import org.anytls4j.itests.support.EchoStream;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps one stream busy with back-to-back echo round trips until the stream fails. */
final class TrafficPump {
    private static final int WARM_UP_ROUNDS = 3;
    private final EchoStream stream;
    private final AtomicInteger rounds = new AtomicInteger();
    private final CompletableFuture<Void> warmedUp = new CompletableFuture<>();
    private final byte[] payload;

    private TrafficPump(EchoStream stream, int id) {
        this.stream = stream;
        this.payload = ("pump " + id + " keeps the stream busy").getBytes(StandardCharsets.UTF_8);
    }

    static TrafficPump start(EchoStream stream, int id) {
        TrafficPump pump = new TrafficPump(stream, id);
        pump.next();
        return pump;
    }

    private void next() {
        stream.roundTrip(payload).whenComplete((echoed, error) -> {
            if (error == null) {
                if (rounds.incrementAndGet() == WARM_UP_ROUNDS) {
                    warmedUp.complete(null);
                }
                next();
            }
        });
    }

    EchoStream stream() {
        return stream;
    }

    /** Completes after a few round trips: traffic is flowing. */
    CompletableFuture<Void> warmedUp() {
        return warmedUp;
    }
}
