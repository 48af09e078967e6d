package io.prodigy.storage.workflow;

import java.time.Instant;

/**
 * Which definitions {@link WorkflowStorage#list} returns. All optional; {@code tag} matches any of the tags;
 * {@code after}/{@code before} bound {@code createdAt} (exclusive); {@code limit} 0 means no limit.
 */
public record WorkflowFilter(String name, String tag, String author, Instant after, Instant before, int limit) {

    public static final WorkflowFilter ALL = new WorkflowFilter(null, null, null, null, null, 0);

    public WorkflowFilter {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
    }

    public WorkflowFilter withName(String n) {
        return new WorkflowFilter(n, tag, author, after, before, limit);
    }

    public WorkflowFilter withTag(String t) {
        return new WorkflowFilter(name, t, author, after, before, limit);
    }

    public WorkflowFilter withAuthor(String a) {
        return new WorkflowFilter(name, tag, a, after, before, limit);
    }

    public WorkflowFilter withAfter(Instant t) {
        return new WorkflowFilter(name, tag, author, t, before, limit);
    }

    public WorkflowFilter withBefore(Instant t) {
        return new WorkflowFilter(name, tag, author, after, t, limit);
    }

    public WorkflowFilter withLimit(int n) {
        return new WorkflowFilter(name, tag, author, after, before, n);
    }

    public boolean matches(WorkflowDefinition w) {
        return (name == null || name.equals(w.name()))
                && (tag == null || w.metadata().tags().contains(tag))
                && (author == null || author.equals(w.metadata().author()))
                && (after == null || w.createdAt().isAfter(after))
                && (before == null || w.createdAt().isBefore(before));
    }
}
