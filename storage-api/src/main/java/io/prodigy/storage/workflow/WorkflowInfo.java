package io.prodigy.storage.workflow;

import java.time.Instant;

/** A definition's summary with its number of recorded executions (spec 093 {@code WorkflowInfo}). */
public record WorkflowInfo(
        String id, String name, String version, Instant createdAt, Instant updatedAt, long executionCount,
        long revision) {}
