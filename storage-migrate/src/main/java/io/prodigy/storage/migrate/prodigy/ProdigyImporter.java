package io.prodigy.storage.migrate.prodigy;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.Checkpoint;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.migrate.verify.RecordManifest;
import io.prodigy.storage.migrate.write.CreatedRecords;
import io.prodigy.storage.migrate.write.IdempotentWriter;
import io.prodigy.storage.migrate.write.WriteResult;
import io.prodigy.storage.session.PersistedSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports data written by the original tool (a real {@code ~/.prodigy}, or a project's legacy {@code .prodigy/})
 * into any {@link UnifiedStorage}, in the formats the facts document describes: sessions (unified and legacy),
 * event lines (every variant, both DLQ tag spellings, rotated files gzip'ed or not), DLQ items in every path variant,
 * MapReduce job state (highest {@code checkpoint-v{N}} wins), workflow, enhanced and reduce checkpoints,
 * orphaned-worktree registries; resume locks are inspected and reported, never imported.
 *
 * <p><b>Nothing is lost.</b> Fields with no place in our records are kept in metadata, payload or checkpoint state
 * (see the mappers). What cannot be imported (unparsable lines, unknown event types, unreadable files) is counted and
 * listed with file and line; it never stops the import.
 *
 * <p><b>Idempotent.</b> Records keep their ids (or get ids derived from their content), and a record the target
 * already holds with the same content is counted as present, not written again; event logs continue after the
 * prefix the target already holds. Importing the same tree twice writes nothing the second time. A record the
 * target holds with <em>different</em> content is a conflict: it is reported and left as it is.
 *
 * <p>Errors of the target store (unavailable, full) are not skippable and propagate; what was written before stays,
 * and re-running the import continues from there.
 */
public final class ProdigyImporter {

    private static final Logger LOG = LoggerFactory.getLogger(ProdigyImporter.class);
    /** Repository for records whose repository cannot be told from the tree (as the original tool's fallback). */
    static final String UNRESOLVED_REPOSITORY = "unknown";

    private final Path base;
    private final ImportOptions options;
    private final IdempotentWriter writer;
    private final ImportCollector collector;
    private TreeScan scan;
    private Map<String, Set<String>> repositoriesByJob;
    private final Set<String> warnedJobs = new HashSet<>();

    private final CreatedRecords created;

    private ProdigyImporter(Path base, UnifiedStorage target, ImportOptions options, RecordManifest manifest,
            CreatedRecords created) {
        this.base = base;
        this.options = options;
        this.created = created;
        this.writer = new IdempotentWriter(target, options.dryRun(), created);
        this.collector = new ImportCollector(base, options.dryRun(), manifest);
    }

    /**
     * Imports {@code base} into {@code target}.
     *
     * @throws InvalidInputException if {@code base} is not a readable directory
     */
    public static ImportReport importTree(Path base, UnifiedStorage target, ImportOptions options) {
        return importTree(base, target, options, new RecordManifest(), new CreatedRecords());
    }

    /**
     * As {@link #importTree(Path, UnifiedStorage, ImportOptions)}, recording into {@code manifest} every record the
     * target holds from this tree (for read-back verification), and into {@code created}, before each first write,
     * every record this run creates, so that a caller can remove them again even if the import throws half-way.
     */
    public static ImportReport importTree(Path base, UnifiedStorage target, ImportOptions options,
            RecordManifest manifest, CreatedRecords created) {
        if (!Files.isDirectory(base)) {
            throw new InvalidInputException("Cannot import '" + base + "': it is not a directory. Pass the original"
                    + " tool's base directory (~/.prodigy, or $PRODIGY_HOME) or a project's .prodigy directory.");
        }
        refuseImportIntoItself(base, target);
        ProdigyImporter importer = new ProdigyImporter(base, target, options, manifest, created);
        ImportReport report = importer.run(target);
        LOG.info("{} {}: {} records read, {} imported, {} already present, {} skipped{}",
                options.dryRun() ? "Import dry run of" : "Imported", base, report.totalRead(),
                report.totalImported(), report.totalAlreadyPresent(), report.totalSkipped(),
                report.hasConflicts() ? ", " + report.conflicts().size() + " conflicts" : "");
        return report;
    }

    /**
     * The file backend's default directory is the original tool's ({@code ~/.prodigy}); importing a tree into the
     * store that lives in the same directory would write records over the very files being read.
     */
    private static void refuseImportIntoItself(Path base, UnifiedStorage target) {
        Object dir = target.health().details().get("base_dir");
        if (dir instanceof String s && real(base).equals(real(Path.of(s)))) {
            throw new InvalidInputException("Cannot import '" + base + "' into the " + target.backendType()
                    + " store in '" + s + "': the store lives in the same directory, so imported records would"
                    + " overwrite the files being read. Move the original tree aside first (for example"
                    + " 'mv ~/.prodigy ~/.prodigy-original') and import from there, or import into a store with another"
                    + " base_dir.");
        }
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private ImportReport run(UnifiedStorage target) {
        scan = options.isProjectLocal() ? TreeScanner.scanLocal(base, options.localRepository())
                : TreeScanner.scanGlobal(base);
        repositoriesByJob = scan.repositoriesByJob();
        scan.ignored.forEach(i -> collector.list(SourceKind.OTHER_FILE, i.file(), 0, i.reason()));
        scan.sessions.forEach(this::importSession);
        scan.legacySessions.forEach(this::importLegacySession);
        scan.workflowCheckpoints.forEach(this::importWorkflowCheckpoint);
        scan.jobStates.forEach(this::importJobState);
        scan.enhancedCheckpoints.forEach(this::importEnhancedCheckpoint);
        scan.reduceCheckpoints.forEach(this::importReduceCheckpoint);
        new DlqImport(collector, writer).run(scan.dlqFiles);
        new EventImport(collector, target, options, created, this::repositoryOf).run(scan);
        scan.resumeLocks.forEach(this::inspectLock);
        return collector.build(options.isProjectLocal()
                ? "project-local, repository '" + options.localRepository() + "'" : "global");
    }

    private void importSession(Path file) {
        collector.read(SourceKind.SESSION);
        JsonNode doc = readDoc(SourceKind.SESSION, file);
        if (doc != null) {
            String stem = Nodes.stem(file.getFileName().toString(), ".json");
            writeSession(SourceKind.SESSION, file, mapped(() -> SessionMapper.unified(doc, stem),
                    reason -> new SessionMapper.Result(null, reason)));
        }
    }

    private void importLegacySession(Path file) {
        collector.read(SourceKind.LEGACY_SESSION);
        JsonNode doc = readDoc(SourceKind.LEGACY_SESSION, file);
        if (doc != null) {
            String name = file.getFileName().toString();
            writeSession(SourceKind.LEGACY_SESSION, file, mapped(() -> SessionMapper.legacy(doc,
                    Nodes.stem(name, ".json"), options.localRepository(), name),
                    reason -> new SessionMapper.Result(null, reason)));
        }
    }

    private void writeSession(SourceKind kind, Path file, SessionMapper.Result r) {
        if (r.skipReason() != null) {
            collector.skip(kind, file, 0, r.skipReason());
            return;
        }
        PersistedSession s = r.session();
        WriteResult w = writer.session(s);
        collector.written(kind, w, file);
        if (!w.isConflict()) {
            collector.manifest().session(s);
        }
    }

    private void importWorkflowCheckpoint(TreeScan.WorkflowCheckpointSource source) {
        Path file = source.file();
        JsonNode doc = readDoc(SourceKind.WORKFLOW_CHECKPOINT, file);
        if (doc == null) {
            collector.read(SourceKind.WORKFLOW_CHECKPOINT);
            return;
        }
        String name = file.getFileName().toString();
        if (CheckpointMapper.isEnhanced(doc)) {
            // an uncompressed {cp-id}.checkpoint.json can sit next to the workflow checkpoints
            collector.read(SourceKind.MAPREDUCE_CHECKPOINT);
            writeCheckpoint(SourceKind.MAPREDUCE_CHECKPOINT, file, checkpoint(
                    () -> CheckpointMapper.enhanced(source.repository(), null, name, doc)));
        } else {
            collector.read(SourceKind.WORKFLOW_CHECKPOINT);
            writeCheckpoint(SourceKind.WORKFLOW_CHECKPOINT, file, checkpoint(
                    () -> CheckpointMapper.workflow(source.scope(), name, doc, options.redactEnvironmentSecrets())));
        }
    }

    /** The highest {@code checkpoint-v{N}.json} that can be read; lower versions are superseded (docs/migration.md). */
    private void importJobState(JobRef job, List<Path> files) {
        List<Path> byVersion = new ArrayList<>(files);
        byVersion.sort((a, b) -> Integer.compare(version(b), version(a)));
        Path chosen = null;
        for (Path file : byVersion) {
            collector.read(SourceKind.JOB_STATE);
            if (chosen != null) {
                collector.skip(SourceKind.JOB_STATE, file, 0, "superseded by " + chosen.getFileName()
                        + " (only the latest job state is imported)");
                continue;
            }
            JsonNode doc = readDoc(SourceKind.JOB_STATE, file);
            if (doc == null) {
                continue;
            }
            CheckpointMapper.Result r = checkpoint(() -> CheckpointMapper.jobState(job, version(file), doc));
            writeCheckpoint(SourceKind.JOB_STATE, file, r);
            if (r.checkpoint() != null) {
                chosen = file;
            }
        }
    }

    private static int version(Path file) {
        String name = file.getFileName().toString();
        return Integer.parseInt(name.substring("checkpoint-v".length(), name.length() - ".json".length()));
    }

    private void importEnhancedCheckpoint(TreeScan.EnhancedCheckpointSource source) {
        Path file = source.file();
        String name = file.getFileName().toString();
        if (name.endsWith(".zst") || name.endsWith(".lz4")) {
            collector.read(SourceKind.MAPREDUCE_CHECKPOINT);
            collector.skip(SourceKind.MAPREDUCE_CHECKPOINT, file, 0, "compressed with " + name.substring(
                    name.lastIndexOf('.') + 1) + ", which this importer does not read; decompress it into a"
                    + " .checkpoint.json file next to it and import again");
            return;
        }
        JsonNode doc = readCounted(SourceKind.MAPREDUCE_CHECKPOINT, file);
        if (doc != null) {
            writeCheckpoint(SourceKind.MAPREDUCE_CHECKPOINT, file, checkpoint(
                    () -> CheckpointMapper.enhanced(source.repository(), source.jobDir(), name, doc)));
        }
    }

    private void importReduceCheckpoint(TreeScan.ReduceCheckpointSource source) {
        JsonNode doc = readCounted(SourceKind.REDUCE_CHECKPOINT, source.file());
        if (doc != null) {
            String repository = source.repository() != null ? source.repository() : repositoryOf(source.jobId());
            writeCheckpoint(SourceKind.REDUCE_CHECKPOINT, source.file(), checkpoint(() -> CheckpointMapper.reduce(
                    JobRef.of(repository, source.jobId()), source.file().getFileName().toString(), doc)));
        }
    }

    private void writeCheckpoint(SourceKind kind, Path file, CheckpointMapper.Result r) {
        if (r.skipReason() != null) {
            collector.skip(kind, file, 0, r.skipReason());
            return;
        }
        Checkpoint c = r.checkpoint();
        WriteResult w = writer.checkpoint(c);
        collector.written(kind, w, file);
        if (!w.isConflict()) {
            collector.manifest().checkpoint(c);
        }
    }

    private void inspectLock(Path file) {
        ResumeLockFinding finding = ResumeLocks.inspect(file, collector.relative(file));
        collector.read(SourceKind.RESUME_LOCK);
        collector.skip(SourceKind.RESUME_LOCK, file, 0, finding.describe());
        collector.lock(finding);
        if (finding.status() == ResumeLockFinding.Status.ACTIVE) {
            collector.warn(finding.describe());
        }
    }

    /**
     * The repository of a job found where the layout names none (reduce checkpoints, event directories without a
     * repository level): the one scope the job id occurs in elsewhere in the tree, else
     * {@value #UNRESOLVED_REPOSITORY}.
     */
    String repositoryOf(String jobId) {
        Set<String> candidates = repositoriesByJob.get(jobId);
        if (candidates != null && candidates.size() == 1) {
            return candidates.iterator().next();
        }
        if (warnedJobs.add(jobId)) {
            collector.warn("the repository of job " + jobId + " cannot be told from the tree ("
                    + (candidates == null ? "it occurs nowhere else" : "it occurs in " + candidates)
                    + "); its records are imported under repository '" + UNRESOLVED_REPOSITORY + "'");
        }
        return UNRESOLVED_REPOSITORY;
    }

    private static CheckpointMapper.Result checkpoint(Supplier<CheckpointMapper.Result> mapping) {
        return mapped(mapping, reason -> new CheckpointMapper.Result(null, reason));
    }

    /**
     * Runs a mapper; a value the SPI's records reject (an id, a count out of range) becomes a skip reason, because
     * one odd file must not stop the import.
     */
    static <R> R mapped(Supplier<R> mapping, Function<String, R> skip) {
        try {
            return mapping.get();
        } catch (IllegalArgumentException | InvalidInputException e) {
            return skip.apply("cannot be mapped: " + e.getMessage());
        }
    }

    private JsonNode readCounted(SourceKind kind, Path file) {
        collector.read(kind);
        return readDoc(kind, file);
    }

    /** The file's JSON, or null after counting it as skipped with the reason. */
    private JsonNode readDoc(SourceKind kind, Path file) {
        try {
            return SourceFiles.readJson(file);
        } catch (SourceFiles.InvalidFile e) {
            collector.skip(kind, file, 0, e.getMessage());
        } catch (IOException e) {
            collector.skip(kind, file, 0, "cannot be read: " + e.getMessage());
        }
        return null;
    }
}
