package io.prodigy.storage.migrate.legacy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds legacy data in a project's {@code .prodigy/}: the directories {@code events/}, {@code dlq/}, {@code state/}
 * and {@code mapreduce/} (the original tool's fallback job-state directory) if they hold any file, and the files
 * {@code session_*.json} and {@code session_state.json}.
 *
 * <p>A {@code .prodigy} that is the global store itself is never legacy: the global base directory given by the
 * caller, {@code $PRODIGY_HOME}, {@code ~/.prodigy} (a project at the home directory), or any directory holding what
 * only a global store has ({@code layout.json}, {@code sessions/}, {@code worktrees/}, {@code resume_locks/},
 * {@code orphaned_worktrees/}). Migrating the global store into itself and then moving it aside would be a disaster.
 */
final class LegacyDetector {

    private static final Set<String> DATA_DIRS = Set.of("events", "dlq", "state", "mapreduce");
    private static final Pattern SESSION_FILE = Pattern.compile("session_.*\\.json|session_state\\.json");
    private static final List<String> GLOBAL_MARKERS =
            List.of("layout.json", "sessions", "worktrees", "resume_locks", "orphaned_worktrees");

    private LegacyDetector() {}

    static LegacyDetection detect(Path projectDir, Path globalBaseDir) {
        Path legacy = projectDir.resolve(LegacyMigration.LEGACY_DIR);
        if (!Files.isDirectory(legacy)) {
            return none(projectDir, legacy, "no " + LegacyMigration.LEGACY_DIR + " directory in " + projectDir);
        }
        String global = globalReason(legacy, globalBaseDir);
        if (global != null) {
            return none(projectDir, legacy, legacy + " is the global store (" + global + "), not legacy data");
        }
        List<Path> entries = new ArrayList<>();
        try (Stream<Path> children = Files.list(legacy)) {
            for (Path child : children.sorted().toList()) {
                String name = child.getFileName().toString();
                if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS) && DATA_DIRS.contains(name)
                        && LegacyFiles.hasFiles(child)) {
                    entries.add(child);
                } else if (Files.isRegularFile(child, LinkOption.NOFOLLOW_LINKS)
                        && SESSION_FILE.matcher(name).matches()) {
                    entries.add(child);
                }
            }
        } catch (IOException e) {
            return none(projectDir, legacy, "cannot read " + legacy + ": " + e.getMessage());
        }
        if (entries.isEmpty()) {
            return none(projectDir, legacy, "no legacy data in " + legacy + " (configuration files stay there)");
        }
        return new LegacyDetection(projectDir, legacy, entries, "legacy data in " + legacy + ": "
                + entries.stream().map(p -> p.getFileName().toString()).toList());
    }

    private static String globalReason(Path legacy, Path globalBaseDir) {
        Path real = real(legacy);
        if (globalBaseDir != null && real.equals(real(globalBaseDir))) {
            return "the configured base directory";
        }
        String prodigyHome = System.getenv("PRODIGY_HOME");
        if (prodigyHome != null && !prodigyHome.isBlank() && real.equals(real(Path.of(prodigyHome)))) {
            return "PRODIGY_HOME";
        }
        if (real.equals(real(io.prodigy.storage.config.HomeDirectory.current().resolve(LegacyMigration.LEGACY_DIR)))) {
            return "~/.prodigy";
        }
        for (String marker : GLOBAL_MARKERS) {
            if (Files.exists(legacy.resolve(marker), LinkOption.NOFOLLOW_LINKS)) {
                return "it contains " + marker;
            }
        }
        return null;
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static LegacyDetection none(Path projectDir, Path legacy, String reason) {
        return new LegacyDetection(projectDir, legacy, List.of(), reason);
    }
}
