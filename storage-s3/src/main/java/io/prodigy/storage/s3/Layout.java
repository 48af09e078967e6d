package io.prodigy.storage.s3;

import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.id.JobRef;

/**
 * Where everything lives in the bucket, under the configured prefix (docs/s3.md has the table). Ids are validated by
 * {@link io.prodigy.storage.id.Ids} before they get here (no {@code /}, no {@code ..}), and each becomes one key
 * segment through {@link KeyCodec#name}, so that S3's key order (UTF-8 bytes) is the SPI's name order
 * ({@code a/} before {@code a-b/}). Listings ordered by time read order-index entries under {@code index/}
 * ({@link OrderIndex}).
 */
final class Layout {

    /**
     * Version of this layout, kept in {@code <prefix>layout.json}; a store with another version is refused. Version 1
     * (raw ids in keys, no order index) was never released: only development builds of 0.1.0-SNAPSHOT wrote it.
     */
    static final int VERSION = 2;

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
        return sessions() + n(id) + "/";
    }

    String events() {
        return root + "events/";
    }

    String events(String repository) {
        return events() + n(repository) + "/";
    }

    String events(JobRef job) {
        return events(job.repository()) + n(job.jobId()) + "/";
    }

    String checkpoints() {
        return root + "checkpoints/";
    }

    String workflowCheckpoints() {
        return checkpoints() + "workflow/";
    }

    String jobCheckpoints(String repository) {
        return checkpoints() + "job/" + n(repository) + "/";
    }

    String checkpoints(CheckpointScope scope) {
        return scope.isJob() ? jobCheckpoints(scope.job().repository()) + n(scope.job().jobId()) + "/"
                : workflowCheckpoints() + n(scope.workflowId()) + "/";
    }

    String checkpoint(CheckpointScope scope, String id) {
        return checkpoints(scope) + n(id) + "/";
    }

    String dlq() {
        return root + "dlq/";
    }

    String dlq(String repository) {
        return dlq() + n(repository) + "/";
    }

    String dlq(JobRef job) {
        return dlq(job.repository()) + n(job.jobId()) + "/";
    }

    String dlqItem(JobRef job, String itemId) {
        return dlq(job) + n(itemId) + "/";
    }

    String workflows() {
        return root + "workflows/";
    }

    String workflow(String id) {
        return workflows() + n(id) + "/def/";
    }

    String executions(String workflowId) {
        return workflows() + n(workflowId) + "/exec/";
    }

    String execution(String workflowId, String executionId) {
        return executions(workflowId) + n(executionId);
    }

    String locks() {
        return root + "locks/";
    }

    String lock(String key) {
        return locks() + n(key) + "/";
    }

    /** Order index of sessions: by start time, then id. */
    String sessionIndex() {
        return root + "index/sessions/";
    }

    /** Order index of all checkpoints: by creation time, then id, then scope. */
    String checkpointIndex() {
        return root + "index/checkpoints/all/";
    }

    /** Order index of one scope's checkpoints: by creation time, then id. */
    String checkpointIndex(CheckpointScope scope) {
        return root + "index/checkpoints/" + (scope.isJob()
                ? "job/" + n(scope.job().repository()) + "/" + n(scope.job().jobId()) + "/"
                : "workflow/" + n(scope.workflowId()) + "/");
    }

    /** Order index of workflow definitions: by creation time, then id. */
    String workflowIndex() {
        return root + "index/workflows/";
    }

    /** Order index of one workflow's executions: by start time, then id. */
    String executionIndex(String workflowId) {
        return root + "index/executions/" + n(workflowId) + "/";
    }

    /** Order index of one job's DLQ items: by enqueue time, then item id. */
    String dlqIndex(JobRef job) {
        return root + "index/dlq/" + n(job.repository()) + "/" + n(job.jobId()) + "/";
    }

    private static String n(String id) {
        return KeyCodec.name(id);
    }

    /** The record base of a generation key: everything up to and including its last {@code /}. */
    static String baseOf(String key) {
        int slash = key.lastIndexOf('/');
        return slash < 0 ? null : key.substring(0, slash + 1);
    }

}
