package io.prodigy.storage.migrate.legacy;

import java.nio.file.Path;
import java.util.List;

/**
 * Whether a project holds legacy project-local data to migrate.
 *
 * @param projectDir  the project
 * @param legacyDir   {@code projectDir/.prodigy}
 * @param dataEntries the entries of {@code .prodigy/} that hold data ({@code events/}, {@code dlq/},
 *                    {@code state/}, {@code mapreduce/}, {@code session_*.json}, {@code session_state.json}); empty
 *                    if there is nothing to migrate. Other entries ({@code config.yml}, {@code workflow.yml}, …) are
 *                    never touched.
 * @param reason      why nothing is to be migrated, or a one-line description of what was found
 */
public record LegacyDetection(Path projectDir, Path legacyDir, List<Path> dataEntries, String reason) {

    public LegacyDetection {
        dataEntries = List.copyOf(dataEntries);
    }

    public boolean found() {
        return !dataEntries.isEmpty();
    }
}
