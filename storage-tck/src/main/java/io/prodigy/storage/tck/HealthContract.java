package io.prodigy.storage.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.health.HealthReport;
import io.prodigy.storage.health.HealthStatus;
import io.prodigy.storage.session.PersistedSession;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link UnifiedStorage#health()} and of the storage's life cycle: a fresh store reports
 * {@link HealthStatus#HEALTHY} with its backend type, a non-negative probe latency and details made of plain values
 * with no secrets; it stays healthy under use; the sub-store accessors return the same instance every time;
 * {@code flush} keeps data; {@code close} is idempotent and every later call fails with an error rather than
 * silently working on a closed store.
 *
 * <p>Use it by extending it and implementing the hook:
 * <pre>{@code
 * class MemoryHealthContractTest extends HealthContract {
 *     protected UnifiedStorage open(StorageContext context) {
 *         return new MemoryStorageProvider().open(StorageConfig.forBackend("memory"), context);
 *     }
 * }
 * }</pre>
 */
public abstract class HealthContract extends StorageContractSupport {

    @Test
    void aFreshStoreIsHealthy() {
        HealthReport report = storage().health();

        assertThat(report.status()).as("status of a fresh store: %s", report.message())
                .isEqualTo(HealthStatus.HEALTHY);
        assertThat(report.healthy()).isTrue();
        assertThat(report.checkedAt()).isNotNull();
        assertThat(report.probeLatency()).isGreaterThanOrEqualTo(Duration.ZERO);
    }

    @Test
    void theReportNamesTheBackend() {
        String type = storage().backendType();

        assertThat(type).isNotBlank().isEqualTo(type.toLowerCase(Locale.ROOT));
        assertThat(storage().health().backendType()).isEqualTo(type);
    }

    @Test
    void detailsArePlainValuesWithoutSecrets() {
        HealthReport report = storage().health();

        assertThat(report.details()).allSatisfy((key, value) -> {
            assertThat(key).isNotBlank();
            assertThat(value).as("detail '%s'", key).isInstanceOfAny(String.class, Number.class, Boolean.class);
            if (Redaction.isSecretKey(key)) {
                assertThat(value).as("secret-looking detail '%s'", key).isEqualTo(Redaction.MASK);
            }
            if (value instanceof String s) {
                assertThat(Redaction.redactUrl(s)).as("detail '%s' has no URL credentials", key).isEqualTo(s);
            }
        });
    }

    @Test
    void theStoreStaysHealthyUnderUse() {
        UnifiedStorage s = storage();
        for (int i = 0; i < 20; i++) {
            s.sessions().save(PersistedSession.create(uniqueId("session"), at(i)));
            assertThat(s.health().status()).isEqualTo(HealthStatus.HEALTHY);
        }
    }

    @Test
    void subStoreAccessorsReturnTheSameInstanceEveryTime() {
        UnifiedStorage s = storage();
        assertThat(s.sessions()).isSameAs(s.sessions());
        assertThat(s.events()).isSameAs(s.events());
        assertThat(s.checkpoints()).isSameAs(s.checkpoints());
        assertThat(s.dlq()).isSameAs(s.dlq());
        assertThat(s.workflows()).isSameAs(s.workflows());
        assertThat(s.locks()).isSameAs(s.locks());
        assertThat(s.capabilities()).isEqualTo(s.capabilities());
    }

    @Test
    void flushKeepsEveryAcknowledgedWrite() {
        PersistedSession stored = storage().sessions().save(PersistedSession.create(uniqueId("session"), at(0)));
        storage().flush();
        assertThat(storage().sessions().load(stored.id())).contains(stored);
    }

    @Test
    void closeIsIdempotentAndLaterCallsFail() {
        UnifiedStorage s = openStorage();
        s.sessions().save(PersistedSession.create(uniqueId("session"), at(0)));
        s.close();
        s.close();

        for (Runnable call : List.<Runnable>of(
                () -> s.sessions().load("some-id"),
                () -> s.locks().tryAcquire(uniqueId("lock"), Duration.ofSeconds(5)),
                () -> s.events().listJobs(null))) {
            assertThat(catchThrowable(call::run)).as("a call on a closed store")
                    .isInstanceOfAny(StorageException.class, IllegalStateException.class);
        }
    }
}
