package org.anytls4j.management.health;

import java.util.function.Supplier;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;

/** A Felix health check whose result is a {@link Verdict}. */
final class VerdictHealthCheck implements HealthCheck {
    private final Supplier<Verdict> verdict;

    VerdictHealthCheck(Supplier<Verdict> verdict) {
        this.verdict = verdict;
    }

    @Override
    public Result execute() {
        Verdict now = verdict.get();
        Result.Status status = switch (now.level()) {
            case OK -> Result.Status.OK;
            case WARN -> Result.Status.WARN;
            case CRITICAL -> Result.Status.CRITICAL;
        };
        return new Result(status, now.message());
    }
}
