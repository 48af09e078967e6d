package io.prodigy.storage.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.support.InstantRange;
import io.prodigy.storage.support.revision.WriteIds;
import java.time.Instant;
import java.util.Objects;

/**
 * A stored workflow definition (global, not per repository).
 *
 * @param id        unique id
 * @param name      display name
 * @param version   the workflow's own version label (for example {@code 1.2}); not used for concurrency
 * @param createdAt when first stored
 * @param updatedAt when last changed; stores set it on every write
 * @param content   the workflow itself, as a JSON tree (YAML parses to the same tree)
 * @param metadata  description, tags, author, parameters
 * @param revision  optimistic-concurrency revision: 0 before the first save
 * @param writeId   identifies the write that stored this version (see {@link io.prodigy.storage.session.PersistedSession#writeId()})
 */
public record WorkflowDefinition(
        String id, String name, String version, Instant createdAt, Instant updatedAt, JsonNode content,
        WorkflowMetadata metadata, long revision, String writeId) {

    public WorkflowDefinition {
        Ids.check("workflow id", id);
        Objects.requireNonNull(name, "name");
        version = version == null ? "" : version;
        Objects.requireNonNull(createdAt, "createdAt");
        updatedAt = updatedAt == null ? createdAt : updatedAt;
        createdAt = InstantRange.check("workflow created_at", createdAt);
        updatedAt = InstantRange.check("workflow updated_at", updatedAt);
        content = content == null ? Json.nodes().objectNode() : Json.checkStorable("workflow content", content);
        metadata = metadata == null ? WorkflowMetadata.EMPTY : metadata;
        if (revision < 0) {
            throw new IllegalArgumentException("revision must not be negative");
        }
    }

    /** A definition version with a fresh {@link #writeId()}. */
    public WorkflowDefinition(String id, String name, String version, Instant createdAt, Instant updatedAt,
            JsonNode content, WorkflowMetadata metadata, long revision) {
        this(id, name, version, createdAt, updatedAt, content, metadata, revision, WriteIds.next());
    }

    public WorkflowDefinition withContent(JsonNode newContent) {
        return new WorkflowDefinition(id, name, version, createdAt, updatedAt, newContent, metadata, revision);
    }

    public WorkflowDefinition withMetadata(WorkflowMetadata newMetadata) {
        return new WorkflowDefinition(id, name, version, createdAt, updatedAt, content, newMetadata, revision);
    }

    /** Used by stores: the stored copy with its new revision and update time; the write id is kept. */
    public WorkflowDefinition stored(long newRevision, Instant at) {
        return new WorkflowDefinition(id, name, version, createdAt, at, content, metadata, newRevision, writeId);
    }

    /** This version under {@code id}'s write id (for copies that must stay the same write). */
    public WorkflowDefinition withWriteId(String id) {
        return new WorkflowDefinition(this.id, name, version, createdAt, updatedAt, content, metadata, revision, id);
    }
}
