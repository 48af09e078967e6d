package io.prodigy.storage.file;

import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.file.io.AtomicFiles;
import io.prodigy.storage.file.io.FileModes;
import io.prodigy.storage.file.io.StoreContext;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.health.HealthStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The health probe: writes, forces and deletes a temp file in the base directory and reports free space. Never
 * throws for an unhealthy store: it reports {@code DOWN} with the reason.
 */
final class FileHealth {

    /** Below this much free space the store reports itself degraded. */
    static final long LOW_SPACE_BYTES = 256L * 1024 * 1024;

    private final StoreContext ctx;
    private final FileConfig config;
    private final int layoutVersion;

    FileHealth(StoreContext ctx, FileConfig config, int layoutVersion) {
        this.ctx = ctx;
        this.config = config;
        this.layoutVersion = layoutVersion;
    }

    HealthReport probe() {
        ctx.checkOpen();
        Instant checkedAt = ctx.now();
        long start = System.nanoTime();
        Path base = ctx.layout().base();
        Map<String, Object> details = new LinkedHashMap<>();
        String shown = Redaction.redactUrl(base.toString());
        details.put("base_dir", shown);
        details.put("layout_version", layoutVersion);
        details.put("file_locks", config.enableFileLocks());
        details.put("compression", config.enableCompression());
        details.put("max_file_size", config.maxFileSize());
        HealthStatus status = HealthStatus.HEALTHY;
        String message = "file store at " + shown + " is writable";
        Path probe = AtomicFiles.tempFileFor(base.resolve("health-probe"));
        try {
            Files.write(probe, new byte[] {'o', 'k'});
            Files.delete(probe);
            long free = Files.getFileStore(base).getUsableSpace();
            details.put("free_bytes", free);
            if (!FileModes.ownerWritable(base)) {
                status = HealthStatus.DOWN;
                message = "the base directory " + shown + " is not writable by its owner";
            } else if (free < LOW_SPACE_BYTES) {
                status = HealthStatus.DEGRADED;
                message = "low disk space: " + free / (1024 * 1024) + " MiB free under " + shown;
            }
        } catch (IOException | RuntimeException e) {
            AtomicFiles.deleteQuietly(probe);
            status = HealthStatus.DOWN;
            message = Redaction.redactUrl("cannot write to " + base + ": " + e);
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        return new HealthReport(status, FileStorageProvider.NAME, message, latency, details, checkedAt);
    }
}
