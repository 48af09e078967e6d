package io.prodigy.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.FailureOutcome;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.StorageException;
import io.prodigy.storage.error.StorageFullException;
import io.prodigy.storage.error.StorageUnavailableException;
import io.prodigy.storage.event.NewEvent;
import io.prodigy.storage.json.Json;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** SQLSTATE to storage errors: which are retryable, and which leave a write's outcome unknown. */
class SqlErrorsTest {

    private static StorageException write(String state) {
        return SqlErrors.translate(new SQLException("server said no", state), "a write", true);
    }

    @Test
    void serializationFailuresAndDeadlocksWereRolledBack() {
        for (String state : new String[] {"40001", "40P01"}) {
            StorageException e = write(state);
            assertThat(e).isInstanceOf(StorageUnavailableException.class);
            assertThat(e.isRetryable()).isTrue();
            assertThat(e.outcome()).isEqualTo(FailureOutcome.NOT_APPLIED);
        }
    }

    @Test
    void aConnectionLostDuringAWriteLeavesItsOutcomeUnknown() {
        for (String state : new String[] {"08006", "08003", "57P01"}) {
            StorageException e = write(state);
            assertThat(e).isInstanceOf(StorageUnavailableException.class);
            assertThat(e.outcome()).as(state).isEqualTo(FailureOutcome.UNKNOWN);
            assertThat(e.getMessage()).contains("may have been applied");
        }
    }

    @Test
    void aConnectionLostDuringAReadOrBeforeAnyRequestAppliedNothing() {
        assertThat(SqlErrors.translate(new SQLException("io", "08006"), "a read", false).outcome())
                .isEqualTo(FailureOutcome.NOT_APPLIED);
        StorageException pool = SqlErrors.translate(
                new SQLTransientConnectionException("Connection is not available, request timed out"), "a write",
                true);
        assertThat(pool).isInstanceOf(StorageUnavailableException.class);
        assertThat(pool.outcome()).isEqualTo(FailureOutcome.NOT_APPLIED);
    }

    @Test
    void aStatementTimeoutWasCancelledByTheServer() {
        StorageException e = write("57014");
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.outcome()).isEqualTo(FailureOutcome.NOT_APPLIED);
    }

    @Test
    void aFullDiskIsStorageFull() {
        assertThat(write("53100")).isInstanceOf(StorageFullException.class);
        assertThat(write("53300")).isInstanceOf(StorageUnavailableException.class);
    }

    @Test
    void badValuesLoginsDatabasesAndSchemasAreNotRetryable() {
        assertThat(write("22P05")).isInstanceOf(InvalidInputException.class).hasMessageContaining("\\u0000");
        assertThat(write("28P01")).isInstanceOf(InvalidInputException.class).hasMessageContaining("password");
        assertThat(write("3D000")).isInstanceOf(InvalidInputException.class).hasMessageContaining("database");
        assertThat(write("42P01")).isInstanceOf(CorruptionException.class);
        assertThat(write("42P01").isRetryable()).isFalse();
    }

    @Test
    void aNulInAPayloadIsRefusedBeforeItReachesTheServer() {
        Assertions.assertThatThrownBy(() -> new NewEvent("e-1", null, "t",
                Json.nodes().objectNode().put("text", "a\u0000b"), null, null))
                .isInstanceOf(InvalidInputException.class);
    }
}
