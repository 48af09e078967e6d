package io.prodigy.storage.health;

/** Overall state of a backend. */
public enum HealthStatus {
    /** Working normally. */
    HEALTHY,
    /** Working, but something needs attention (slow probe, circuit half-open, nearly full). */
    DEGRADED,
    /** Not working; calls will fail. */
    DOWN
}
