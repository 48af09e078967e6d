package io.prodigy.storage.migrate.prodigy;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Walks a tree written by the original tool (docs/migration.md) and sorts its files by kind, in both layouts:
 * <ul>
 *   <li><b>global</b> ({@code ~/.prodigy}): the first directory under {@code events/}, {@code dlq/} and
 *       {@code state/} is an opaque scope, used as the repository (it is a repository name, or the
 *       {@code session-<uuid>} of a parent worktree for MapReduce runs, see docs/migration.md);</li>
 *   <li><b>project-local</b> (a project's legacy {@code .prodigy/}): no scope level, everything belongs to the given
 *       repository, plus the legacy {@code session_*.json} files and the {@code mapreduce/} fallback directory.</li>
 * </ul>
 * DLQ items are looked for in every path variant the writer, the readers and the docs use (docs/migration.md).
 */
final class TreeScanner {

    static final Set<String> LOCAL_DATA_ENTRIES = Set.of("events", "dlq", "state", "mapreduce");
    private static final Pattern LEGACY_SESSION = Pattern.compile("session_.*\\.json|session_state\\.json");
    private static final Pattern CHECKPOINT_FILE = Pattern.compile(".+\\.checkpoint\\.(json|gz|zst|lz4)");
    private static final Pattern JOB_STATE_FILE = Pattern.compile("checkpoint-v(\\d{1,9})\\.json");

    private final TreeScan scan = new TreeScan();

    static TreeScan scanGlobal(Path base) {
        TreeScanner s = new TreeScanner();
        s.global(base);
        return s.scan;
    }

    static TreeScan scanLocal(Path dotProdigy, String repository) {
        TreeScanner s = new TreeScanner();
        s.local(dotProdigy, repository);
        return s.scan;
    }

    private void global(Path base) {
        for (Path f : SourceFiles.files(base)) {
            scan.ignore(f, f.getFileName().toString().equals("config.yml") ? "configuration, not storage data"
                    : "not part of the original tool's storage layout");
        }
        for (Path dir : SourceFiles.dirs(base)) {
            String name = dir.getFileName().toString();
            switch (name) {
                case "sessions" -> sessions(dir);
                case "events" -> globalEvents(dir);
                case "dlq" -> scopes(dir).forEach(scope -> dlqScope(scope, scopeName(scope)));
                case "state" -> globalState(dir);
                case "orphaned_worktrees" -> orphans(dir);
                case "resume_locks" -> locks(dir);
                case "worktrees" -> scan.ignore(dir, "git worktrees and their metadata are not storage records");
                case "logs" -> scan.ignore(dir, "log directory (created empty by the original tool)");
                default -> scan.ignore(dir, "not part of the original tool's storage layout");
            }
        }
    }

    private void local(Path base, String repository) {
        for (Path f : SourceFiles.files(base)) {
            String name = f.getFileName().toString();
            if (LEGACY_SESSION.matcher(name).matches()) {
                scan.legacySessions.add(f);
            } else {
                scan.ignore(f, "not storage data (left in place)");
            }
        }
        stateScope(base, repository, repository);
        for (Path dir : SourceFiles.dirs(base)) {
            String name = dir.getFileName().toString();
            switch (name) {
                case "events" -> localEvents(dir, repository);
                case "dlq" -> dlqScope(dir, repository);
                case "state" -> localState(dir, repository);
                case "mapreduce", "checkpoints" -> { } // read by stateScope(base, …) above
                default -> scan.ignore(dir, "not storage data (left in place)");
            }
        }
    }

    private void sessions(Path dir) {
        for (Path f : SourceFiles.files(dir)) {
            if (f.getFileName().toString().endsWith(".json")) {
                scan.sessions.add(f);
            } else {
                scan.ignore(f, "not a session file");
            }
        }
        for (Path sub : SourceFiles.dirs(dir)) {
            // spec-184 layout sessions/{id}/checkpoint.json (defined, unused by HEAD)
            for (Path f : SourceFiles.files(sub)) {
                if (f.getFileName().toString().equals("checkpoint.json")) {
                    String scope = scopeName(sub);
                    scan.workflowCheckpoints.add(new TreeScan.WorkflowCheckpointSource(scope, scope, f));
                } else {
                    scan.ignore(f, "not a checkpoint file");
                }
            }
        }
    }

    private void globalEvents(Path eventsDir) {
        for (Path f : SourceFiles.files(eventsDir)) {
            scan.looseEventFiles.add(new TreeScan.LooseEventFile(null, f));
        }
        for (Path scope : scopes(eventsDir)) {
            if (scope.getFileName().toString().equals("archive")) {
                scan.ignore(scope, "retention archives hold events already removed from their job logs, without"
                        + " a repository; not imported (keep the files if you need them)");
                continue;
            }
            List<Path> direct = SourceFiles.files(scope);
            if (!direct.isEmpty()) {
                // {base}/events/{job_id}/ without a repository level (the dead FileEventStore's layout)
                jobDir(new TreeScan.JobDir(null, scopeName(scope)), scope);
            }
            for (Path job : SourceFiles.dirs(scope)) {
                jobDir(new TreeScan.JobDir(scopeName(scope), job.getFileName().toString()), job);
            }
        }
    }

    private void localEvents(Path eventsDir, String repository) {
        for (Path f : SourceFiles.files(eventsDir)) {
            scan.looseEventFiles.add(new TreeScan.LooseEventFile(repository, f));
        }
        for (Path job : SourceFiles.dirs(eventsDir)) {
            jobDir(new TreeScan.JobDir(repository, job.getFileName().toString()), job);
            for (Path nested : SourceFiles.dirs(job)) {
                // events/{scope}/{job}/ copied from a global layout
                jobDir(new TreeScan.JobDir(repository, nested.getFileName().toString()), nested);
            }
        }
    }

    /** The event files of one job directory, in the order they were written (docs/migration.md). */
    private void jobDir(TreeScan.JobDir dir, Path jobDir) {
        List<Path> files = new ArrayList<>();
        for (Path f : SourceFiles.files(jobDir)) {
            String name = f.getFileName().toString();
            if (name.equals("index.json")) {
                scan.ignore(f, "event index (derived data; the target keeps its own)");
            } else if (name.endsWith(".tmp")) {
                scan.ignore(f, "temporary file of an interrupted write");
            } else {
                files.add(f);
            }
        }
        files.sort(EVENT_FILE_ORDER);
        if (files.isEmpty()) {
            return;
        }
        if (Ids.problem(dir.jobId()) != null || (dir.repository() != null && Ids.problem(dir.repository()) != null)) {
            files.forEach(f -> scan.ignore(f, "the directory name is not a valid job or repository id: "
                    + Ids.problem(dir.jobId())));
            return;
        }
        files.forEach(f -> scan.eventFile(dir, f));
    }

    /**
     * File name order, except that {@code X.jsonl.bak} (a rotation interrupted between its two renames) goes right
     * before {@code X.jsonl}: it holds the older events. Rotated files {@code X.{ts}.jsonl.gz} already sort before
     * {@code X.jsonl} because a digit sorts before {@code j}.
     */
    static final Comparator<Path> EVENT_FILE_ORDER = Comparator
            .comparing((Path p) -> stripBak(p.getFileName().toString()))
            .thenComparing(p -> p.getFileName().toString().endsWith(".bak") ? 0 : 1);

    private static String stripBak(String name) {
        return name.endsWith(".jsonl.bak") ? name.substring(0, name.length() - 4) : name;
    }

    private void dlqScope(Path scopeDir, String repository) {
        for (Path job : SourceFiles.dirs(scopeDir)) {
            String name = job.getFileName().toString();
            if (name.equals("mapreduce") && Files.isDirectory(job.resolve("dlq"))) {
                // dlq/{repo}/mapreduce/dlq/{job}/items (internals docs)
                SourceFiles.dirs(job.resolve("dlq")).forEach(d -> dlqJob(d, repository, d.getFileName().toString()));
                continue;
            }
            // dlq/{repo}/{job}/mapreduce/dlq/{job}/items (what HEAD writes)
            SourceFiles.dirs(job.resolve("mapreduce").resolve("dlq"))
                    .forEach(d -> dlqJob(d, repository, d.getFileName().toString()));
            // dlq/{repo}/{job}/items (what discovery expects) and dlq-items.json / items.json (docs)
            dlqJob(job, repository, name);
        }
    }

    private void dlqJob(Path jobDir, String repository, String jobId) {
        JobRef job = jobRef(repository, jobId, jobDir);
        if (job == null) {
            return;
        }
        for (Path f : SourceFiles.files(jobDir.resolve("items"))) {
            if (f.getFileName().toString().endsWith(".json")) {
                scan.dlqFiles.add(new TreeScan.DlqSource(job, f));
            } else {
                scan.ignore(f, "not a DLQ item file");
            }
        }
        for (Path f : SourceFiles.files(jobDir)) {
            String name = f.getFileName().toString();
            if (name.equals("dlq-items.json") || name.equals("items.json")) {
                scan.dlqFiles.add(new TreeScan.DlqSource(job, f));
            } else if (name.equals("index.json")) {
                scan.ignore(f, "DLQ index (recomputed from the items, see docs/migration.md)");
            } else {
                scan.ignore(f, "not part of the DLQ layout");
            }
        }
    }

    private void globalState(Path stateDir) {
        for (Path scope : scopes(stateDir)) {
            String name = scopeName(scope);
            if (name.equals("reduce_checkpoints")) {
                reduceCheckpoints(scope, null);
            } else {
                stateScope(scope, name, name);
            }
        }
        SourceFiles.files(stateDir).forEach(f -> scan.ignore(f, "not part of the state layout"));
    }

    private void localState(Path stateDir, String repository) {
        stateScope(stateDir, repository, repository);
        for (Path sub : SourceFiles.dirs(stateDir)) {
            String name = sub.getFileName().toString();
            switch (name) {
                case "mapreduce", "checkpoints", "mappings" -> { } // read by stateScope(stateDir, …)
                case "reduce_checkpoints" -> reduceCheckpoints(sub, repository);
                default -> stateScope(sub, repository, name);
            }
        }
    }

    /**
     * One state scope: {@code mapreduce/jobs/{job}/} (job state and resume-job events), {@code mapreduce/dlq/{job}/}
     * (the resume manager's DLQ), {@code checkpoints/} (workflow and enhanced checkpoints) and
     * {@code {job}/mapreduce/checkpoints/} (enhanced checkpoints of a job).
     */
    private void stateScope(Path scope, String repository, String checkpointScope) {
        Path mapreduce = scope.resolve("mapreduce");
        for (Path job : SourceFiles.dirs(mapreduce.resolve("jobs"))) {
            jobState(job, repository);
        }
        SourceFiles.dirs(mapreduce.resolve("dlq")).forEach(d -> dlqJob(d, repository, d.getFileName().toString()));
        for (Path f : SourceFiles.files(scope.resolve("checkpoints"))) {
            String name = f.getFileName().toString();
            if (name.endsWith(".checkpoint.json")) {
                scan.workflowCheckpoints.add(new TreeScan.WorkflowCheckpointSource(checkpointScope, repository, f));
            } else if (CHECKPOINT_FILE.matcher(name).matches()) {
                scan.enhancedCheckpoints.add(new TreeScan.EnhancedCheckpointSource(repository, null, f));
            } else {
                scan.ignore(f, name.endsWith(".tmp") ? "temporary file of an interrupted write"
                        : "not a checkpoint file");
            }
        }
        if (Files.isDirectory(scope.resolve("mappings"))) {
            scan.ignore(scope.resolve("mappings"), "session-job mappings are never written or read by the original"
                    + " tool (docs/migration.md)");
        }
        for (Path job : SourceFiles.dirs(scope)) {
            Path checkpoints = job.resolve("mapreduce").resolve("checkpoints");
            for (Path f : SourceFiles.files(checkpoints)) {
                if (CHECKPOINT_FILE.matcher(f.getFileName().toString()).matches()) {
                    scan.enhancedCheckpoints.add(new TreeScan.EnhancedCheckpointSource(repository,
                            job.getFileName().toString(), f));
                } else {
                    scan.ignore(f, "not a checkpoint file");
                }
            }
        }
    }

    private void jobState(Path jobDir, String repository) {
        JobRef job = jobRef(repository, jobDir.getFileName().toString(), jobDir);
        if (job == null) {
            return;
        }
        for (Path f : SourceFiles.files(jobDir)) {
            String name = f.getFileName().toString();
            if (JOB_STATE_FILE.matcher(name).matches()) {
                scan.jobStates.computeIfAbsent(job, j -> new ArrayList<>()).add(f);
            } else if (name.equals("metadata.json")) {
                scan.ignore(f, "points at the latest checkpoint by absolute path; the highest checkpoint-v{N}.json"
                        + " is used instead (docs/migration.md)");
            } else {
                scan.ignore(f, name.endsWith(".tmp") ? "temporary file of an interrupted write"
                        : "not part of the job state layout");
            }
        }
        for (Path f : SourceFiles.files(jobDir.resolve("events"))) {
            // events written by `resume-job` under the state directory (docs/migration.md)
            scan.eventFile(new TreeScan.JobDir(job.repository(), job.jobId()), f);
        }
    }

    private void reduceCheckpoints(Path dir, String repository) {
        for (Path job : SourceFiles.dirs(dir)) {
            for (Path f : SourceFiles.files(job)) {
                String name = f.getFileName().toString();
                if (name.startsWith("reduce-checkpoint-") && name.endsWith(".json")) {
                    scan.reduceCheckpoints.add(new TreeScan.ReduceCheckpointSource(repository,
                            job.getFileName().toString(), f));
                } else {
                    scan.ignore(f, "not a reduce checkpoint");
                }
            }
        }
    }

    private void orphans(Path dir) {
        for (Path repo : SourceFiles.dirs(dir)) {
            for (Path f : SourceFiles.files(repo)) {
                String name = f.getFileName().toString();
                JobRef job = name.endsWith(".json")
                        ? jobRef(scopeName(repo), name.substring(0, name.length() - 5), f) : null;
                if (job != null) {
                    scan.orphanRegistries.add(new TreeScan.OrphanRegistry(job, f));
                } else if (!name.endsWith(".json")) {
                    scan.ignore(f, "not an orphaned-worktree registry");
                }
            }
        }
    }

    private void locks(Path dir) {
        for (Path f : SourceFiles.files(dir)) {
            if (f.getFileName().toString().endsWith(".lock")) {
                scan.resumeLocks.add(f);
            } else {
                scan.ignore(f, "not a resume lock");
            }
        }
    }

    /**
     * The scope directories (repository names) under {@code dir}; a directory whose name cannot be a repository name
     * ({@code .git}, a name with control characters, …) is reported and not read.
     */
    private List<Path> scopes(Path dir) {
        List<Path> valid = new ArrayList<>();
        for (Path scope : SourceFiles.dirs(dir)) {
            String problem = Ids.problem(scopeName(scope));
            if (problem == null) {
                valid.add(scope);
            } else {
                scan.ignore(scope, "not a repository directory: " + problem);
            }
        }
        return valid;
    }

    private JobRef jobRef(String repository, String jobId, Path where) {
        try {
            return JobRef.of(repository, jobId);
        } catch (InvalidInputException e) {
            scan.ignore(where, "cannot be imported: " + e.getMessage());
            return null;
        }
    }

    private static String scopeName(Path dir) {
        return dir.getFileName().toString();
    }
}
