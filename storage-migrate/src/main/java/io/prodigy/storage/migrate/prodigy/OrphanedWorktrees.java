package io.prodigy.storage.migrate.prodigy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.migrate.verify.CanonicalJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Entries of {@code orphaned_worktrees/{repo}/{job}.json} (docs/migration.md: {@code path, agent_id, item_id, failed_at,
 * error}). There is no worktree store in the SPI; an orphaned worktree is a fact about the job's history, so each entry
 * becomes an event of type {@value #EVENT_TYPE} at the start of the job's log (the registry is never rewritten, while
 * event files grow at their end, so a re-import finds the same prefix), with the entry as its
 * payload. The event id is derived from the job and the entry's content, so importing again finds it in place.
 */
final class OrphanedWorktrees {

    static final String EVENT_TYPE = "worktree_orphaned";

    record Result(NewEvent event, String skipReason) {}

    private OrphanedWorktrees() {}

    static Result map(JobRef job, JsonNode entry) {
        if (!entry.isObject()) {
            return new Result(null, "not an orphaned-worktree object");
        }
        Optional<Instant> at = ProdigyTime.instant(entry.get("failed_at"));
        if (at.isEmpty()) {
            return new Result(null, "no readable failed_at " + entry.path("failed_at"));
        }
        String id = UUID.nameUUIDFromBytes(("orphaned-worktree\n" + job + "\n" + CanonicalJson.write(entry))
                .getBytes(StandardCharsets.UTF_8)).toString();
        return new Result(new NewEvent(id, at.get(), EVENT_TYPE, entry, null, Nodes.text(entry, "agent_id")), null);
    }
}
