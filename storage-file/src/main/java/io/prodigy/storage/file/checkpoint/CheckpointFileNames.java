package io.prodigy.storage.file.checkpoint;

import io.prodigy.storage.checkpoint.Checkpoint;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * File names of checkpoints, following docs/configuration.md and extended with the checkpoint id (a job may hold
 * several checkpoints of one kind, and two may share a second-resolution timestamp):
 *
 * <ul>
 *   <li>SETUP: {@code setup-checkpoint-{id}.json}</li>
 *   <li>MAP: {@code map-checkpoint-{yyyyMMdd_HHmmss}-{id}.json}</li>
 *   <li>REDUCE: {@code reduce-checkpoint-v{format_version}-{yyyyMMdd_HHmmss}-{id}.json}</li>
 *   <li>WORKFLOW: {@code {id}.checkpoint.json}</li>
 * </ul>
 * Timestamps are the checkpoint's {@code created_at} in UTC. Names parse back unambiguously to the id.
 */
final class CheckpointFileNames {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
    private static final Pattern SETUP = Pattern.compile("setup-checkpoint-(.+)\\.json");
    private static final Pattern MAP = Pattern.compile("map-checkpoint-\\d{8}_\\d{6}-(.+)\\.json");
    private static final Pattern REDUCE = Pattern.compile("reduce-checkpoint-v\\d+-\\d{8}_\\d{6}-(.+)\\.json");
    private static final Pattern WORKFLOW = Pattern.compile("(.+)\\.checkpoint\\.json");

    private CheckpointFileNames() {}

    static String fileName(Checkpoint c) {
        return switch (c.kind()) {
            case SETUP -> "setup-checkpoint-" + c.id() + ".json";
            case MAP -> "map-checkpoint-" + TS.format(c.createdAt()) + "-" + c.id() + ".json";
            case REDUCE -> "reduce-checkpoint-v" + c.formatVersion() + "-" + TS.format(c.createdAt()) + "-" + c.id()
                    + ".json";
            case WORKFLOW -> c.id() + ".checkpoint.json";
        };
    }

    /** The checkpoint id a file name encodes, if it is a checkpoint file of a scope of the given type. */
    static Optional<String> idOf(String fileName, boolean jobScope) {
        if (!jobScope) {
            return group(WORKFLOW.matcher(fileName));
        }
        for (Pattern p : new Pattern[] {SETUP, MAP, REDUCE}) {
            Optional<String> id = group(p.matcher(fileName));
            if (id.isPresent()) {
                return id;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> group(Matcher m) {
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
