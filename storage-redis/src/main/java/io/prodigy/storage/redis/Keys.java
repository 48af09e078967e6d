package io.prodigy.storage.redis;

import io.prodigy.storage.checkpoint.CheckpointKind;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.session.SessionState;

/**
 * The key layout (docs/redis.md). Every key starts with the configured prefix inside a hash tag,
 * {@code {prefix}}, so all keys of a store hash to one slot: a Lua script may touch any of them, also on a Redis
 * Cluster. Parts are joined with {@code /}, which ids never contain, so keys are unambiguous; sorted-set members join
 * parts with NUL, which sorts below every character an id may hold.
 */
final class Keys {

    /** Separator inside composite sorted-set members. */
    static final String SEP = "\u0000";

    private final String base;

    Keys(String keyPrefix) {
        this.base = "{" + keyPrefix + "}";
    }

    /** What every key of this store starts with. */
    String base() {
        return base;
    }

    /** The store's marker: layout version and creation time. */
    String meta() {
        return base + "meta";
    }

    /** The pub/sub channel of append hints. */
    String eventChannel() {
        return base + "events";
    }

    // Sessions: a hash per session; lex indexes of (startedAt, id), overall, per state and per worktree.
    String session(String id) {
        return base + "s/" + id;
    }

    String sessionIndex() {
        return base + "s.idx";
    }

    String sessionStatePrefix() {
        return base + "s.st/";
    }

    String sessionsInState(SessionState state) {
        return sessionStatePrefix() + state.name();
    }

    String sessionsInWorktree(String worktree) {
        return base + "s.wt/" + worktree;
    }

    // Events: a stream per job (entry id = sequence), its figures, its event ids; a lex index of jobs.
    String eventStream(JobRef job) {
        return base + "e/" + job.repository() + "/" + job.jobId();
    }

    String eventMeta(JobRef job) {
        return base + "e.m/" + job.repository() + "/" + job.jobId();
    }

    String eventIds(JobRef job) {
        return base + "e.i/" + job.repository() + "/" + job.jobId();
    }

    String eventJobs() {
        return base + "e.jobs";
    }

    // Checkpoints: a hash per checkpoint; lex indexes per scope, per scope and kind, per repository and overall.
    static String scopeKey(CheckpointScope scope) {
        return scope.isJob() ? "j/" + scope.job().repository() + "/" + scope.job().jobId()
                : "w/" + scope.workflowId();
    }

    static CheckpointScope parseScope(String scopeKey) {
        String[] parts = scopeKey.split("/", -1);
        if (parts.length == 2 && parts[0].equals("w")) {
            return CheckpointScope.workflow(parts[1]);
        }
        if (parts.length == 3 && parts[0].equals("j")) {
            return CheckpointScope.job(JobRef.of(parts[1], parts[2]));
        }
        throw new CorruptionException("Redis holds a malformed checkpoint scope '" + scopeKey + "'.");
    }

    String checkpointPrefix(CheckpointScope scope) {
        return base + "c/" + scopeKey(scope) + "/";
    }

    String checkpoint(CheckpointScope scope, String id) {
        return checkpointPrefix(scope) + id;
    }

    String checkpointsOfScope(CheckpointScope scope) {
        return base + "c.s/" + scopeKey(scope);
    }

    String checkpointsOfKind(CheckpointScope scope, CheckpointKind kind) {
        return base + "c.k/" + kind.name() + "/" + scopeKey(scope);
    }

    String checkpointsOfRepository(String repository) {
        return base + "c.r/" + repository;
    }

    String allCheckpoints() {
        return base + "c.all";
    }

    // DLQ: a hash per item; a lex index of (enqueuedAt, item id) per job; a lex index of jobs.
    String dlqItemPrefix(JobRef job) {
        return base + "d/" + job.repository() + "/" + job.jobId() + "/";
    }

    String dlqItem(JobRef job, String itemId) {
        return dlqItemPrefix(job) + itemId;
    }

    String dlqIndex(JobRef job) {
        return base + "d.idx/" + job.repository() + "/" + job.jobId();
    }

    String dlqJobs() {
        return base + "d.jobs";
    }

    // Workflows: a hash per definition; its executions (a hash and a lex index); lex indexes of definitions.
    String workflow(String id) {
        return base + "w/" + id;
    }

    String executions(String workflowId) {
        return base + "w.x/" + workflowId;
    }

    String executionIndex(String workflowId) {
        return base + "w.xi/" + workflowId;
    }

    String allWorkflows() {
        return base + "w.all";
    }

    String workflowsNamed(String name) {
        return base + "w.n/" + name;
    }

    String workflowsTagged(String tag) {
        return base + "w.t/" + tag;
    }

    String workflowsBy(String author) {
        return base + "w.a/" + author;
    }

    // Locks: a hash per key, never deleted (its token is the key's high-water mark); a lex index of every key ever
    // granted (lock_grant adds a key once; list() keeps the live ones).
    String lock(String key) {
        return base + "l/" + key;
    }

    String heldLocks() {
        return base + "l.held";
    }

    /** Member of a jobs index: repository NUL job, so members sort by repository, then job. */
    static String jobMember(JobRef job) {
        return job.repository() + SEP + job.jobId();
    }

    static JobRef parseJobMember(String member) {
        int sep = member.indexOf(SEP);
        if (sep < 0) {
            throw new CorruptionException("Redis holds a malformed job entry '" + member + "'.");
        }
        return JobRef.of(member.substring(0, sep), member.substring(sep + 1));
    }
}
