package io.prodigy.storage.s3;

import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.id.JobRef;

/**
 * Where everything lives in the bucket, under the configured prefix (docs/s3.md has the table). Ids are validated by
 * {@link io.prodigy.storage.id.Ids} before they get here (no {@code /}, no {@code ..}), so each id is exactly one key
 * segment, and S3 lists keys in UTF-8 byte order, the order the SPI's listings use.
 */
final class Layout {

    /** Version of this layout, kept in {@code <prefix>layout.json}; a store with another version is refused. */
    static final int VERSION = 1;

    private final String root;

    /** @param prefix the configured prefix ("" or ending with "/") */
    Layout(String prefix) {
        this.root = prefix;
    }

    String root() {
        return root;
    }

    String marker() {
        return root + "layout.json";
    }

    String sessions() {
        return root + "sessions/";
    }

    String session(String id) {
        return sessions() + id + "/";
    }

    String events() {
        return root + "events/";
    }

    String events(String repository) {
        return events() + repository + "/";
    }

    String events(JobRef job) {
        return events(job.repository()) + job.jobId() + "/";
    }

    String checkpoints() {
        return root + "checkpoints/";
    }

    String workflowCheckpoints() {
        return checkpoints() + "workflow/";
    }

    String jobCheckpoints(String repository) {
        return checkpoints() + "job/" + repository + "/";
    }

    String checkpoints(CheckpointScope scope) {
        return scope.isJob() ? jobCheckpoints(scope.job().repository()) + scope.job().jobId() + "/"
                : workflowCheckpoints() + scope.workflowId() + "/";
    }

    String checkpoint(CheckpointScope scope, String id) {
        return checkpoints(scope) + id + "/";
    }

    String dlq() {
        return root + "dlq/";
    }

    String dlq(String repository) {
        return dlq() + repository + "/";
    }

    String dlq(JobRef job) {
        return dlq(job.repository()) + job.jobId() + "/";
    }

    String dlqItem(JobRef job, String itemId) {
        return dlq(job) + itemId + "/";
    }

    String workflows() {
        return root + "workflows/";
    }

    String workflow(String id) {
        return workflows() + id + "/def/";
    }

    String executions(String workflowId) {
        return workflows() + workflowId + "/exec/";
    }

    String execution(String workflowId, String executionId) {
        return executions(workflowId) + executionId;
    }

    String locks() {
        return root + "locks/";
    }

    String lock(String key) {
        return locks() + key + "/";
    }

    /** The record base of a generation key: everything up to and including its last {@code /}. */
    static String baseOf(String key) {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? null : key.substring(0, slash + 1);
    }

    /** The last segment of a base ({@code a/b/id/} gives {@code id}). */
    static String lastSegment(String base) {
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }
}
