package io.prodigy.storage.migrate.prodigy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Inspects the original tool's resume locks (docs/migration.md): {@code {"job_id", "process_id", "hostname",
 * "acquired_at"}}, created with {@code O_EXCL}, deleted on release, left behind by SIGKILL. The original tool judges
 * staleness by a local PID check even for locks of other hosts; here a lock of another host is reported as such.
 */
final class ResumeLocks {

    private ResumeLocks() {}

    static ResumeLockFinding inspect(Path file, Path relative) {
        String id = Nodes.stem(file.getFileName().toString(), ".lock");
        JsonNode doc;
        try {
            doc = SourceFiles.readJson(file);
        } catch (IOException | SourceFiles.InvalidFile e) {
            return new ResumeLockFinding(id, relative, null, null, null, ResumeLockFinding.Status.UNREADABLE);
        }
        JsonNode pidNode = doc.path("process_id");
        if (!pidNode.canConvertToLong() || !pidNode.isIntegralNumber()) {
            return new ResumeLockFinding(id, relative, null, Nodes.text(doc, "hostname"), null,
                    ResumeLockFinding.Status.UNREADABLE);
        }
        long pid = pidNode.longValue();
        String host = Nodes.text(doc, "hostname");
        Instant acquired = ProdigyTime.instant(doc.get("acquired_at")).orElse(null);
        ResumeLockFinding.Status status;
        if (host != null && !host.equals("unknown") && !host.equals(localHostName())) {
            status = ResumeLockFinding.Status.OTHER_HOST;
        } else {
            status = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)
                    ? ResumeLockFinding.Status.ACTIVE : ResumeLockFinding.Status.STALE;
        }
        return new ResumeLockFinding(id, relative, pid, host, acquired, status);
    }

    private static volatile String localHost;

    /** This machine's host name as the {@code hostname} crate reports it (gethostname), cached. */
    static String localHostName() {
        String h = localHost;
        if (h == null) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "unknown";
            }
            localHost = h;
        }
        return h;
    }
}
