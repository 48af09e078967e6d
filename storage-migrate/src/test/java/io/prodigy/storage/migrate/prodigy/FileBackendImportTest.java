package io.prodigy.storage.migrate.prodigy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.session.SessionFilter;
import io.prodigy.storage.migrate.testing.ProdigyTrees;
import io.prodigy.storage.migrate.testing.Stores;
import io.prodigy.storage.migrate.verify.ManifestVerifier;
import io.prodigy.storage.migrate.verify.StorageVerifier;
import io.prodigy.storage.migrate.verify.VerificationReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same tree imported into the file backend holds exactly what the memory import holds, and reads back. */
class FileBackendImportTest {

    @TempDir
    Path tree;

    @TempDir
    Path store;

    @Test
    void fileBackendImportEqualsMemoryImportAndIsIdempotentAcrossReopen() {
        ProdigyTrees.writeGlobalTree(tree);
        try (UnifiedStorage memory = Stores.memory()) {
            ImportReport inMemory = ProdigyImporter.importTree(tree, memory, ImportOptions.DEFAULT);
            ImportReport inFiles;
            try (UnifiedStorage files = Stores.file(store)) {
                inFiles = ProdigyImporter.importTree(tree, files, ImportOptions.DEFAULT);
                assertThat(ManifestVerifier.verify(inFiles.manifest(), files).ok()).isTrue();
                VerificationReport same = StorageVerifier.compare(memory, files);
                assertThat(same.ok()).as(same.summary()).isTrue();
                assertThat(same.notes()).isEmpty();
            }
            assertThat(inFiles.tallies()).isEqualTo(inMemory.tallies());
            try (UnifiedStorage reopened = Stores.file(store)) {
                ImportReport again = ProdigyImporter.importTree(tree, reopened, ImportOptions.DEFAULT);
                assertThat(again.totalImported()).isZero();
                assertThat(again.totalAlreadyPresent()).isEqualTo(inMemory.totalImported());
                assertThat(ManifestVerifier.verify(again.manifest(), reopened).ok()).isTrue();
            }
        }
    }

    @Test
    void refusesToImportATreeIntoTheFileStoreInTheSameDirectory() {
        ProdigyTrees.writeGlobalTree(tree);
        try (UnifiedStorage sameDir = Stores.file(tree)) {
            assertThatThrownBy(() -> ProdigyImporter.importTree(tree, sameDir, ImportOptions.DEFAULT))
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessageStartingWith("Cannot import '" + tree + "' into the file store in '")
                    .hasMessageContaining("Move the original tree aside first");
            assertThat(sameDir.sessions().list(SessionFilter.ALL)).isEmpty();
        }
    }
}
