package io.prodigy.storage.migrate.prodigy;

import io.prodigy.storage.id.JobRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Every file of an original-tool tree, sorted by what it holds. Built by {@link TreeScanner}. */
final class TreeScan {

    /** Event files of one job directory; {@code repository} is null when the layout does not say (resolved later). */
    record JobDir(String repository, String jobId) {}

    /** An event file outside any job directory: each line's {@code event.job_id} names its job. */
    record LooseEventFile(String repository, Path file) {}

    record DlqSource(JobRef job, Path file) {}

    /** A {@code *.checkpoint.json}: {@code scope} is its directory's scope, {@code repository} the layout's. */
    record WorkflowCheckpointSource(String scope, String repository, Path file) {}

    record EnhancedCheckpointSource(String repository, String jobDir, Path file) {}

    record ReduceCheckpointSource(String repository, String jobId, Path file) {}

    record OrphanRegistry(JobRef job, Path file) {}

    record Ignored(Path file, String reason) {}

    final List<Path> sessions = new ArrayList<>();
    final List<Path> legacySessions = new ArrayList<>();
    final Map<JobDir, List<Path>> eventFiles = new LinkedHashMap<>();
    final List<LooseEventFile> looseEventFiles = new ArrayList<>();
    final List<DlqSource> dlqFiles = new ArrayList<>();
    final Map<JobRef, List<Path>> jobStates = new TreeMap<>();
    final List<WorkflowCheckpointSource> workflowCheckpoints = new ArrayList<>();
    final List<EnhancedCheckpointSource> enhancedCheckpoints = new ArrayList<>();
    final List<ReduceCheckpointSource> reduceCheckpoints = new ArrayList<>();
    final List<OrphanRegistry> orphanRegistries = new ArrayList<>();
    final List<Path> resumeLocks = new ArrayList<>();
    final List<Ignored> ignored = new ArrayList<>();

    void eventFile(JobDir dir, Path file) {
        eventFiles.computeIfAbsent(dir, d -> new ArrayList<>()).add(file);
    }

    void ignore(Path file, String reason) {
        ignored.add(new Ignored(file, reason));
    }

    /** The repositories (scopes) in which a job id occurs, from every source that names both. */
    Map<String, Set<String>> repositoriesByJob() {
        Map<String, Set<String>> index = new TreeMap<>();
        eventFiles.keySet().stream().filter(d -> d.repository() != null)
                .forEach(d -> index.computeIfAbsent(d.jobId(), j -> new TreeSet<>()).add(d.repository()));
        dlqFiles.forEach(d -> add(index, d.job()));
        jobStates.keySet().forEach(j -> add(index, j));
        orphanRegistries.forEach(o -> add(index, o.job()));
        enhancedCheckpoints.forEach(e -> index.computeIfAbsent(e.jobDir(), j -> new TreeSet<>()).add(e.repository()));
        return index;
    }

    private static void add(Map<String, Set<String>> index, JobRef job) {
        index.computeIfAbsent(job.jobId(), j -> new TreeSet<>()).add(job.repository());
    }
}
