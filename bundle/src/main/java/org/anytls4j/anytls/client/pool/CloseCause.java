package org.anytls4j.anytls.client.pool;

/** Why a pooled session was closed; the pool counts closures by cause. */
public enum CloseCause {
    /** Idle longer than {@code idleSessionTimeout} and not among the newest {@code minIdleSessions}. */
    IDLE_TIMEOUT,
    /** Older than {@code maxSessionAge}: not handed out again. */
    MAX_AGE,
    /** The session failed, was found unusable, or its stream ended unhealthy. */
    ERROR,
    /**
     * Idle through the same quiet spell as a reused session that turned out dead, and closed unused rather than
     * costing the next opens a SYNACK timeout each (see {@link SessionPool#retireIdleAlongside(Lease)}).
     */
    SUSPECT,
    /** The pool was closed. */
    SHUTDOWN,
    /** {@code disableReuse} is on: a session serves one stream only. */
    REUSE_DISABLED,
    /** The owning transport replaced the whole pool (a configuration change beyond pool options). */
    POOL_REPLACED
}
