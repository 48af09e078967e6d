package io.prodigy.storage.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one configuration setting came from, so that {@code info} can show it and errors can say where to fix a bad
 * value. Sources rank (spec 102): {@link Kind#EXPLICIT} over {@link Kind#ENVIRONMENT} over {@link Kind#FILE} over
 * {@link Kind#DEFAULT}.
 *
 * @param kind   which kind of source
 * @param detail the option ({@code --storage-dir}), the environment variable ({@code PRODIGY_STORAGE_TYPE}) or the
 *               config file's path; empty for defaults
 */
public record SettingSource(Kind kind, String detail) {

    /** The kinds of source, highest precedence first. */
    public enum Kind {
        /** Given on the command line or in code (for example {@code --storage-dir}). */
        EXPLICIT,
        /** Read from an environment variable. */
        ENVIRONMENT,
        /** Read from a config file's (or workflow file's, or YAML text's) {@code storage:} block. */
        FILE,
        /** Nobody set it: the documented default. */
        DEFAULT
    }

    /** The setting was not given anywhere. */
    public static final SettingSource DEFAULT = new SettingSource(Kind.DEFAULT, "");

    /** Detail of a {@link Kind#FILE} source whose YAML was passed as text rather than read from a file. */
    public static final String INLINE_YAML = "(YAML text)";

    public SettingSource {
        Objects.requireNonNull(kind, "kind");
        detail = detail == null ? "" : detail;
    }

    /** Set explicitly; {@code option} names how, for example {@code --storage-dir}. */
    public static SettingSource explicit(String option) {
        return new SettingSource(Kind.EXPLICIT, option);
    }

    public static SettingSource environment(String variable) {
        return new SettingSource(Kind.ENVIRONMENT, variable);
    }

    public static SettingSource file(Path path) {
        return new SettingSource(Kind.FILE, path.toString());
    }

    /** From YAML text given in code, not read from a file. */
    public static SettingSource inlineYaml() {
        return new SettingSource(Kind.FILE, INLINE_YAML);
    }

    /** For humans, for example {@code environment variable PRODIGY_STORAGE_TYPE} or {@code default}. */
    public String describe() {
        return switch (kind) {
            case EXPLICIT -> "explicit " + detail;
            case ENVIRONMENT -> "environment variable " + detail;
            case FILE -> INLINE_YAML.equals(detail) ? "YAML text" : "config file '" + detail + "'";
            case DEFAULT -> "default";
        };
    }

    @Override
    public String toString() {
        return describe();
    }
}
