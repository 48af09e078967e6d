package io.prodigy.storage.file;

import io.prodigy.storage.Capability;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.StorageProvider;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.config.StorageConfig;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.file.io.FileModes;
import io.prodigy.storage.file.io.IoErrors;
import io.prodigy.storage.file.io.NoLinks;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.file.layout.LayoutMarker;
import io.prodigy.storage.file.layout.StorageLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code file} backend: a durable, multi-process-safe global store under {@code ~/.prodigy} (or
 * {@code backend_config.base_dir}).
 *
 * <p>Capabilities: {@link Capability#DURABLE} (fsync on every acknowledged write), {@link Capability#MULTI_PROCESS}
 * (OS file locks; with {@code enable_file_locks: false} the store is single-process and does not declare it),
 * {@link Capability#ATOMIC_FENCING} (the fence is checked under the same lock that orders the write),
 * {@link Capability#CLIENT_CLOCK} (leases and claims expire by {@link StorageContext#clock()}),
 * {@link Capability#IDEMPOTENT_APPEND} (event ids are checked against the events with the job's last
 * {@link io.prodigy.storage.event.EventStorage#IDEMPOTENCY_WINDOW} sequences, see
 * {@link io.prodigy.storage.file.event.FileEventStorage}).
 */
public final class FileStorageProvider implements StorageProvider {

    public static final String NAME = "file";

    private static final Logger LOG = LoggerFactory.getLogger(FileStorageProvider.class);
    private static final AtomicBoolean WARNED_LOCAL = new AtomicBoolean();
    private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.DURABLE,
            Capability.MULTI_PROCESS, Capability.ATOMIC_FENCING, Capability.CLIENT_CLOCK,
            Capability.IDEMPOTENT_APPEND));

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Files under ~/.prodigy (durable, multi-process safe; the default)";
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public UnifiedStorage open(StorageConfig config, StorageContext context) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(context, "context");
        return open(FileConfig.bind(config.backendConfig()), context);
    }

    /** Opens a store from an already bound configuration. */
    public FileStorage open(FileConfig config, StorageContext context) {
        if (!config.useGlobal() && WARNED_LOCAL.compareAndSet(false, true)) {
            LOG.warn("storage.backend_config.use_global: false is deprecated and ignored: the file backend always"
                    + " uses the global layout under {}. Remove the setting.", config.baseDir());
        }
        Path base = prepareBaseDir(config.baseDir());
        StorageLayout layout = new StorageLayout(base);
        int version = LayoutMarker.checkOrCreate(layout, context.clock().instant());
        StoreContext ctx = new StoreContext(layout, context.clock(), config.enableFileLocks());
        Set<Capability> caps = EnumSet.copyOf(CAPABILITIES);
        if (!config.enableFileLocks()) {
            caps.remove(Capability.MULTI_PROCESS);
        }
        FileStorage storage = new FileStorage(config, ctx, version, caps);
        LOG.debug("Opened file store at {} (layout {}, file locks {})", Redaction.redactUrl(base.toString()), version,
                config.enableFileLocks());
        return storage;
    }

    /** Creates the base directory (0700) if needed and checks it can be written. */
    static Path prepareBaseDir(Path configured) {
        Path base = configured.toAbsolutePath().normalize();
        if (Files.exists(base) && !Files.isDirectory(base)) {
            throw new InvalidInputException("The storage base directory '" + base + "' is a file, not a directory."
                    + " Move the file away or set storage.backend_config.base_dir (or PRODIGY_HOME) to a directory.");
        }
        NoLinks.addRoot(base); // the base itself may be a link; what is below it may not
        try {
            FileModes.ensureDirectory(base);
        } catch (IOException e) {
            throw IoErrors.translate("creating the storage base directory", base, e);
        }
        String fix = " Check ownership with 'ls -la " + base + "', fix the permissions with 'chmod u+rwx " + base
                + "', or set storage.backend_config.base_dir (or PRODIGY_HOME) to a writable directory.";
        try {
            if (!FileModes.ownerWritable(base)) {
                throw new InvalidInputException("The storage directory '" + base + "' is not writable." + fix);
            }
            Path probe = Files.createTempFile(base, ".write-probe-", ".tmp");
            String unsafe;
            try {
                unsafe = FileModes.unsafeBaseDir(base, probe);
            } finally {
                Files.delete(probe);
            }
            if (unsafe != null) {
                throw new InvalidInputException(unsafe);
            }
        } catch (IOException e) {
            if (IoErrors.isDiskFull(e)) {
                throw IoErrors.translate("checking the storage base directory", base, e);
            }
            throw new InvalidInputException("The storage directory '" + base + "' is not writable (" + e + ")." + fix,
                    e);
        }
        return base;
    }
}
