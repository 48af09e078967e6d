package io.prodigy.storage.file.lock;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.StorageContext;
import io.prodigy.storage.file.FileConfig;
import io.prodigy.storage.file.FileStorage;
import io.prodigy.storage.file.FileStorageProvider;
import io.prodigy.storage.json.Json;
import io.prodigy.storage.lock.LockLease;
import io.prodigy.storage.tck.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lease file: its content, PID-based takeover, and a fencing token that never goes backwards. */
class LockFileTest {

    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    @TempDir
    Path base;

    private final TestClock clock = TestClock.at(T0);

    private FileStorage open() {
        return new FileStorageProvider().open(FileConfig.DEFAULT.withBaseDir(base), new StorageContext(clock, null));
    }

    @Test
    void theLockFileRecordsHolderPidHostTimesTtlAndToken() throws Exception {
        try (FileStorage s = open()) {
            LockLease lease = s.locks().tryAcquire("deploy", Duration.ofSeconds(30)).orElseThrow();
            JsonNode json = Json.mapper().readTree(LockFile.read(base.resolve("locks/deploy.lock"), false)
                    .orElseThrow().json());
            assertThat(json.get("key").asText()).isEqualTo("deploy");
            assertThat(json.get("holder").asText()).isEqualTo(lease.holder());
            assertThat(json.get("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
            assertThat(json.get("host").asText()).isEqualTo(ProcessIdentity.HOST);
            assertThat(json.get("owner").asText()).contains("pid " + ProcessHandle.current().pid());
            assertThat(Instant.parse(json.get("acquired_at").asText())).isEqualTo(T0);
            assertThat(Duration.parse(json.get("ttl").asText())).isEqualTo(Duration.ofSeconds(30));
            assertThat(Instant.parse(json.get("expires_at").asText())).isEqualTo(T0.plusSeconds(30));
            assertThat(json.get("fencing_token").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aLeaseWhoseHolderProcessDiedOnThisHostIsTakenOverBeforeItsTtl() throws Exception {
        Process dead = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-version")
                .redirectErrorStream(true).start();
        dead.getInputStream().readAllBytes();
        assertThat(dead.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long deadPid = dead.pid();
        try (FileStorage s = open()) {
            LockLease lease = s.locks().tryAcquire("job-7", Duration.ofHours(1)).orElseThrow();
            // Rewrite the lease as if that (now dead) process held it, with an hour to go.
            LeaseRecord rec = FileLeaseStore.readLease(base.resolve("locks/job-7.lock")).orElseThrow();
            LeaseRecord foreign = new LeaseRecord(rec.key(), rec.fencingToken(), "someone-else", "pid " + deadPid,
                    deadPid, ProcessIdentity.HOST, null, rec.acquiredAt(), rec.ttl(), rec.expiresAt(), null, false);
            Files.write(base.resolve("locks/job-7.lock"), Json.mapper().writeValueAsBytes(foreign));

            LockLease taken = s.locks().tryAcquire("job-7", Duration.ofMinutes(1)).orElseThrow();
            assertThat(taken.fencingToken()).isEqualTo(lease.fencingToken() + 1);

            // A live holder on another host is only judged by its TTL.
            LeaseRecord remote = new LeaseRecord("job-8", 5, "remote", "pid 1 on elsewhere", deadPid,
                    "another-host.example", null, T0, Duration.ofHours(1), T0.plusSeconds(3600), null, false);
            Files.write(base.resolve("locks/job-8.lock"), Json.mapper().writeValueAsBytes(remote));
            assertThat(s.locks().tryAcquire("job-8", Duration.ofMinutes(1))).isEmpty();
        }
    }

    @Test
    void theTokenNeverGoesBackwardsAcrossForceReleaseExpiryAndRestart() {
        long last;
        try (FileStorage s = open()) {
            LockLease a = s.locks().tryAcquire("k", Duration.ofSeconds(10)).orElseThrow();
            assertThat(s.locks().forceRelease("k")).isPresent();
            LockLease b = s.locks().tryAcquire("k", Duration.ofSeconds(10)).orElseThrow();
            clock.advance(Duration.ofSeconds(11));
            LockLease c = s.locks().tryAcquire("k", Duration.ofSeconds(10)).orElseThrow();
            s.locks().release(c);
            assertThat(b.fencingToken()).isGreaterThan(a.fencingToken());
            assertThat(c.fencingToken()).isGreaterThan(b.fencingToken());
            last = c.fencingToken();
        }
        assertThat(Files.exists(base.resolve("locks/k.lock"))).as("released lock files keep the token").isTrue();
        try (FileStorage s = open()) {
            assertThat(s.locks().current("k")).isEmpty();
            assertThat(s.locks().tryAcquire("k", Duration.ofSeconds(10)).orElseThrow().fencingToken())
                    .isEqualTo(last + 1);
        }
    }
}
