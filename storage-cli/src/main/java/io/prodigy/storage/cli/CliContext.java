package io.prodigy.storage.cli;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.checkpoint.CheckpointFilter;
import io.prodigy.storage.checkpoint.CheckpointScope;
import io.prodigy.storage.cli.output.Output;
import io.prodigy.storage.cli.output.Progress;
import io.prodigy.storage.cli.output.ProgressFactory;
import io.prodigy.storage.core.config.ConfigOverrides;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.id.JobRef;
import io.prodigy.storage.id.RepositoryNames;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What one command invocation works with: the global options, the output, progress, the repository and (opened on
 * first use, closed when the command ends) the storage.
 */
public final class CliContext implements AutoCloseable {

    private final GlobalOptions options;
    private final CliEnvironment environment;
    private final Output output;
    private final ProgressFactory progress;
    private OpenedStorage opened;
    private boolean migrateLegacy = true;
    private boolean readsOnly;

    CliContext(GlobalOptions options, CliEnvironment environment) {
        this.options = Objects.requireNonNull(options, "options");
        this.environment = Objects.requireNonNull(environment, "environment");
        this.output = new Output(environment.stdout(), environment.stderr(), options.json());
        this.progress = new ProgressFactory(ProgressFactory.modeFor(environment.interactive(), options.json()),
                environment.stderr(), environment.clock());
    }

    /** The context of the command {@code spec} belongs to. */
    public static CliContext of(CommandSpec spec) {
        ProdigyStorageCli root = (ProdigyStorageCli) spec.root().userObject();
        return new CliContext(root.globalOptions(), root.environment());
    }

    /** Like {@link #of(CommandSpec)}; {@code readsOnly}: opening the storage must not create a file store. */
    static CliContext of(CommandSpec spec, boolean readsOnly) {
        CliContext ctx = of(spec);
        ctx.readsOnly = readsOnly;
        return ctx;
    }

    public GlobalOptions options() {
        return options;
    }

    public CliEnvironment environment() {
        return environment;
    }

    public Output out() {
        return output;
    }

    public boolean json() {
        return options.json();
    }

    public Instant now() {
        return environment.clock().instant();
    }

    /** Starts showing progress of a long task (a bar, lines, or nothing with {@code --json}). */
    public Progress progress(String task, long total) {
        return progress.start(task, total);
    }

    /**
     * An id given on the command line, checked by the store's one id rule ({@link Ids#check}); a bad one is a usage
     * error (exit 2): the command line must change and nothing was attempted.
     *
     * @throws UsageException with the rule's message (what is wrong and which characters are allowed)
     */
    public static String checkId(String what, String value) {
        try {
            return Ids.check(what, value);
        } catch (InvalidInputException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * {@code --repo}, or the repository name of the current directory's project: the last component of its repository
     * root (the nearest directory with {@code .git}, symlinks resolved; spec 058), so a subdirectory names its
     * project.
     *
     * @throws UsageException if no name can be derived (run from {@code /}), saying to pass {@code --repo}
     */
    public String repository() {
        if (options.repository() != null) {
            return checkId("repository name (--repo)", options.repository());
        }
        Path root = projectDirectory();
        if (root.getFileName() == null) {
            throw new UsageException("Cannot derive a repository name from '" + root + "' (the file system root):"
                    + " run the command in the project's directory or pass --repo NAME.");
        }
        try {
            return RepositoryNames.fromPath(root);
        } catch (InvalidInputException e) {
            throw new UsageException(e.getMessage() + " Pass the repository name with --repo NAME.", e);
        }
    }

    /** The project of the working directory: its repository root, else the working directory itself. */
    public Path projectDirectory() {
        return RepositoryNames.projectRoot(environment.workingDir());
    }

    /**
     * Opens the storage without migrating the project's legacy {@code .prodigy/} ({@code migrate legacy} does that
     * itself, with {@code --dry-run} and a report). Call before the first use of the storage.
     */
    public void withoutLegacyMigration() {
        this.migrateLegacy = false;
    }

    /** Whether {@code --repo} was given (commands that span repositories then narrow to it). */
    public boolean repositoryGiven() {
        return options.repository() != null;
    }

    public JobRef job(String jobId) {
        return JobRef.of(repository(), checkId("job id (--job)", jobId));
    }

    /**
     * The job, which must have something stored (events, DLQ items or checkpoints).
     *
     * @throws CommandFailedException naming the job and repository, and how to find the stored jobs
     */
    public JobRef existingJob(String jobId) {
        JobRef job = job(jobId);
        UnifiedStorage s = storage();
        boolean exists = s.events().lastSequence(job) > 0
                || s.dlq().stats(job).totalItems() > 0
                || !s.checkpoints().list(CheckpointFilter.forScope(CheckpointScope.job(job)).withLimit(1)).isEmpty();
        if (!exists) {
            throw new CommandFailedException("Job '" + job.jobId() + "' not found in repository '" + job.repository()
                    + "': it has no events, DLQ items or checkpoints. Run 'prodigy-storage jobs list' to see the"
                    + " stored jobs" + (repositoryGiven() ? "." : ", or pass --repo if it belongs to another"
                    + " repository."));
        }
        return job;
    }

    /** The configured storage, opened on first use. */
    public UnifiedStorage storage() {
        return opened().storage();
    }

    /**
     * The open storage with its configuration and location. Opening migrates the project's legacy {@code .prodigy/}
     * on first use, as every Prodigy component does (docs/migration.md), unless {@link #withoutLegacyMigration()}.
     */
    public OpenedStorage opened() {
        if (opened == null) {
            opened = open(true);
        }
        return opened;
    }

    /**
     * The configuration and, if the store exists, the open store; a store that does not exist yet is not created
     * ({@link OpenedStorage#exists()} is then {@code false}). For commands that only look, such as {@code info}.
     */
    public OpenedStorage openedIfExists() {
        if (opened == null) {
            OpenedStorage o = open(false);
            if (!o.exists()) {
                return o;
            }
            opened = o;
        }
        return opened;
    }

    private OpenedStorage open(boolean create) {
        return environment.opener().open(new StorageOpener.Request(overrides(), environment.env(),
                migrateLegacy && create ? projectDirectory() : null, environment.clock(),
                warning -> output.note("warning: " + warning), create, readsOnly));
    }

    /**
     * Closes the storage and opens it again from the configuration, as a restarted process would. Used by the demo to
     * show that a resume reads only what was durably stored.
     */
    public UnifiedStorage reopen() {
        close();
        return storage();
    }

    /** The explicit settings of this command line, for storage-core's configuration loader. */
    public ConfigOverrides overrides() {
        Path dir = options.storageDir() == null ? null : resolve(options.storageDir());
        Path config = options.configFile() == null ? null : resolve(options.configFile());
        return new ConfigOverrides(options.backend(), dir, config, options.storageUrl());
    }

    /** A path from the command line, relative to the working directory. */
    public Path resolve(Path p) {
        return environment.workingDir().resolve(p).normalize();
    }

    /** Makes writes durable (memory snapshots) and closes the storage if this command opened it. */
    @Override
    public void close() {
        output.flush();
        if (opened != null) {
            OpenedStorage o = opened;
            opened = null;
            try {
                o.storage().flush();
            } finally {
                o.close();
            }
        }
    }
}
