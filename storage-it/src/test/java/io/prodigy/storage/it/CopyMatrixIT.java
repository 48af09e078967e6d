package io.prodigy.storage.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.migrate.RecordType;
import io.prodigy.storage.migrate.copy.CopyOptions;
import io.prodigy.storage.migrate.copy.CopyReport;
import io.prodigy.storage.migrate.copy.StorageMigrator;
import io.prodigy.storage.migrate.copy.TypeCounts;
import io.prodigy.storage.migrate.verify.StorageVerifier;
import io.prodigy.storage.migrate.verify.VerificationReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every backend filled with {@link DataSet}, copied to every other backend with the verified copy
 * ({@link StorageMigrator}, verification on) and from there back into a fresh store of the source's backend. After
 * each copy the verifier passes both ways (nothing missing, nothing extra) and the canonical dump of the copy equals
 * the data set's. Prints the matrix: records and seconds per pair, there and back.
 */
class CopyMatrixIT {

    /** The data set as the memory backend holds it: what every other store must dump to. */
    private static List<String> expected;
    private static final Map<Backend, TestStore> SOURCES = new EnumMap<>(Backend.class);
    private static final Map<Backend, UnifiedStorage> FILLED = new EnumMap<>(Backend.class);
    private static final List<String> MATRIX = Collections.synchronizedList(new ArrayList<>());

    @TestFactory
    Stream<DynamicTest> everyBackendCopiedToEveryOtherAndBack() {
        return Arrays.stream(Backend.values()).flatMap(from -> Arrays.stream(Backend.values()).filter(to -> to != from)
                .map(to -> DynamicTest.dynamicTest(from.label() + " -> " + to.label() + " -> " + from.label(),
                        () -> copyThereAndBack(from, to))));
    }

    private static void copyThereAndBack(Backend from, Backend to) {
        UnifiedStorage source = filled(from);
        try (TestStore there = to.fresh("copy_to"); TestStore back = from.fresh("copy_back")) {
            UnifiedStorage target = there.open();
            long t0 = System.nanoTime();
            CopyReport forth = new StorageMigrator(source, target).copy(CopyOptions.DEFAULT);
            long t1 = System.nanoTime();
            assertCopied(forth, from + " -> " + to);
            assertSameBothWays(source, target, from + " -> " + to);

            UnifiedStorage returned = back.open();
            long t2 = System.nanoTime();
            CopyReport home = new StorageMigrator(target, returned).copy(CopyOptions.DEFAULT);
            long t3 = System.nanoTime();
            assertCopied(home, to + " -> " + from);
            assertSameBothWays(source, returned, from + " -> " + to + " -> " + from);

            long records = Arrays.stream(RecordType.values()).mapToLong(t -> forth.counts(t).copied()).sum();
            MATRIX.add(String.format("  %-8s -> %-8s %6d records  %6.2f s there  %6.2f s back", from.label(),
                    to.label(), records, (t1 - t0) / 1e9, (t3 - t2) / 1e9));
        }
    }

    /** The store of {@code backend} holding the data set, filled on first use and checked against the expected dump. */
    private static synchronized UnifiedStorage filled(Backend backend) {
        if (expected == null) {
            try (TestStore memory = Backend.MEMORY.fresh("expected")) {
                UnifiedStorage s = memory.open();
                DataSet.fill(s);
                expected = CanonicalDump.of(s);
            }
            assertThat(expected).filteredOn(l -> l.startsWith("event ")).hasSize((int) DataSet.EVENTS);
        }
        UnifiedStorage s = FILLED.get(backend);
        if (s == null) {
            TestStore store = backend.fresh("copy_from");
            try {
                s = store.open();
                DataSet.fill(s);
                assertThat(CanonicalDump.of(s)).as("the data set as " + backend.label() + " holds it")
                        .containsExactlyElementsOf(expected);
            } catch (RuntimeException | AssertionError e) {
                store.close(); // the next pair from this backend tries again in a store of its own
                throw e;
            }
            SOURCES.put(backend, store);
            FILLED.put(backend, s);
        }
        return s;
    }

    private static void assertCopied(CopyReport report, String pair) {
        assertThat(report.ok()).as(pair + ": " + report.summary()).isTrue();
        assertThat(report.verification()).as(pair + ": verified").isNotNull();
        assertThat(report.conflicts()).isEmpty();
        assertThat(report.warnings()).isEmpty();
        Map<RecordType, Long> copied = new EnumMap<>(RecordType.class);
        for (RecordType type : RecordType.values()) {
            TypeCounts c = report.counts(type);
            assertThat(c.alreadyPresent()).as(pair + " " + type + " already present in a fresh store").isZero();
            copied.put(type, c.copied());
        }
        assertThat(copied).as(pair + " records copied").containsExactlyInAnyOrderEntriesOf(Map.of(
                RecordType.SESSION, DataSet.SESSIONS, RecordType.WORKFLOW, DataSet.WORKFLOWS,
                RecordType.WORKFLOW_EXECUTION, DataSet.EXECUTIONS, RecordType.CHECKPOINT, DataSet.CHECKPOINTS,
                RecordType.DLQ_ITEM, DataSet.DLQ_ITEMS, RecordType.EVENT, DataSet.EVENTS));
    }

    /** The verifier finds nothing missing either way, and the copy dumps to exactly the data set. */
    private static void assertSameBothWays(UnifiedStorage original, UnifiedStorage copy, String what) {
        VerificationReport forward = StorageVerifier.compare(original, copy);
        VerificationReport backward = StorageVerifier.compare(copy, original);
        assertThat(forward.ok()).as(what + ": " + forward.summary()).isTrue();
        assertThat(backward.ok()).as(what + " (reversed): " + backward.summary()).isTrue();
        assertThat(backward.notes()).as(what + ": records only in the original").isEmpty();
        assertThat(forward.notes()).as(what + ": records only in the copy").isEmpty();
        assertThat(CanonicalDump.of(copy)).as(what + ": canonical dump").containsExactlyElementsOf(expected);
    }

    @AfterAll
    static void printMatrixAndDropSources() {
        System.out.println("Copy matrix (" + MATRIX.size() + " pairs; records per copy; verified copy there and back):");
        MATRIX.forEach(System.out::println);
        SOURCES.values().forEach(TestStore::close);
        SOURCES.clear();
        FILLED.clear();
        expected = null;
    }
}
