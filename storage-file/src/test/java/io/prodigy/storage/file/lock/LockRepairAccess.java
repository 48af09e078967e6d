package io.prodigy.storage.file.lock;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.json.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

/** Opens the lock repair's token rule and the lock file's content to tests in other packages. */
public final class LockRepairAccess {

    private LockRepairAccess() {}

    public static long repairedToken(Path file, Instant now) {
        return FileLeaseStore.repairedToken(file, now);
    }

    /** The lease a lock file holds now (its newest valid slot), as JSON. */
    public static JsonNode lease(Path file) throws IOException {
        return Json.mapper().readTree(LockFile.read(file, false).orElseThrow().json());
    }
}
