package io.prodigy.storage.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.prodigy.storage.config.StorageConfigException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads the top-level {@code storage:} block of a YAML document: a config file ({@code ~/.prodigy/config.yml}) or a
 * workflow file. Other top-level keys are ignored, so one file can hold other settings too. The block comes back as
 * plain maps, lists and scalars, for {@link io.prodigy.storage.config.ConfigBinder} to bind strictly.
 */
final class YamlStorageBlock {

    /** The top-level key that holds the storage settings. */
    static final String KEY = "storage";

    /** The largest config (or workflow) file read; real ones are a few kilobytes. */
    static final long MAX_FILE_BYTES = 1024 * 1024;
    /** SnakeYAML's limits: input size in code points, aliases to collections, nesting depth. */
    static final int MAX_CODE_POINTS = (int) MAX_FILE_BYTES;
    static final int MAX_ALIASES = 20;
    static final int MAX_NESTING = 32;

    private static final ObjectMapper YAML = YAMLMapper.builder(YAMLFactory.builder().loaderOptions(loaderOptions())
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
                    .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL) // as the default factory: 'storage:' is empty
                    .build())
            // A key written twice is almost always a mistake; silently keeping the last one hides it.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Values are never coerced (docs/configuration.md): YAML 1.1's yes/no/on/off stay strings, so that a
            // boolean setting written "no" is rejected with its key path and "true or false" instead of silently
            // meaning false. Only true and false are booleans.
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .build();

    /**
     * Bounds what a hostile or broken file can cost (a 100 MB file once took minutes and gigabytes to load): the input
     * size in code points, the nesting depth (enforced by Jackson's {@link StreamReadConstraints}, since Jackson
     * drives SnakeYAML's parser, not its composer) and aliases (Jackson does not expand them at all, it reads
     * {@code *name} as the text {@code name}, so no alias can multiply the document). Exceeding a limit is reported
     * as invalid YAML, naming it.
     */
    private static LoaderOptions loaderOptions() {
        LoaderOptions o = new LoaderOptions();
        o.setCodePointLimit(MAX_CODE_POINTS);
        o.setMaxAliasesForCollections(MAX_ALIASES);
        o.setNestingDepthLimit(MAX_NESTING);
        o.setAllowRecursiveKeys(false);
        return o;
    }

    /** Jackson's report of a key written twice. */
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate (?:field|Object property) '([^']*)'");

    private YamlStorageBlock() {}

    /**
     * @return the block's keys (empty if the file has no {@code storage:} block)
     * @throws StorageConfigException if the file cannot be read, is too large or is not valid YAML (naming the file and line)
     */
    static Map<String, Object> read(Path file) {
        String text;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw StorageConfigException.of("", "Config file '" + file + "' is " + size + " bytes, more than the"
                        + " " + MAX_FILE_BYTES + " bytes a config file may have. Point " + ConfigOverrides.CONFIG_OPTION
                        + " at the right file; a storage configuration is a few lines.");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw StorageConfigException.of("", "Config file '" + file + "' does not exist. Check the path (given with "
                    + ConfigOverrides.CONFIG_OPTION + "), or leave it out to use the default config file.");
        } catch (CharacterCodingException e) {
            throw StorageConfigException.of("", "Config file '" + file + "' is not UTF-8 text. Save it as UTF-8"
                    + " YAML.");
        } catch (IOException e) {
            throw StorageConfigException.of("", "Could not read config file '" + file + "': " + e.getMessage()
                    + ". Check that it is a readable file.");
        }
        return parse(text, "config file '" + file + "'");
    }

    /**
     * @param origin what the text is, for messages: {@code config file '/x/config.yml'} or {@code YAML text}
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String text, String origin) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            throw StorageConfigException.of("", "Invalid YAML in " + origin + problem(e)
                    + ". Fix the syntax there and try again.");
        }
        if (root == null || root.isMissingNode() || root.isNull() || root.isArray()) {
            // Empty, or a workflow file written as a plain list of steps: neither has a storage block.
            return new LinkedHashMap<>();
        }
        if (!root.isObject()) {
            throw StorageConfigException.of("", "The " + origin + " is not a YAML mapping (it holds the single value '"
                    + root.asText() + "'). Put the settings under a top-level '" + KEY + ":' key.");
        }
        JsonNode block = root.get(KEY);
        if (block == null || block.isNull()) {
            return new LinkedHashMap<>();
        }
        if (!block.isObject()) {
            Object shown = block.isValueNode() ? YAML.convertValue(block, Object.class) : "a list";
            throw StorageConfigException.invalidValue(KEY, shown, "a mapping of keys to values");
        }
        return YAML.convertValue(block, LinkedHashMap.class);
    }

    /**
     * Where and what: SnakeYAML's problem and its position (and, when it has one, where the construct it was parsing
     * started), else Jackson's location and the first line of its message.
     */
    private static String problem(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            String context = yaml.getContext() == null || yaml.getContextMark() == null ? ""
                    : " (" + yaml.getContext() + " started" + at(yaml.getContextMark()) + ")";
            return at(yaml.getProblemMark()) + ": " + withoutPeriod(yaml.getProblem()) + context;
        }
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 1 ? ""
                : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        String message = e.getOriginalMessage();
        String first = message == null || message.isBlank() ? e.getClass().getSimpleName()
                : message.strip().lines().findFirst().orElse(message);
        Matcher duplicate = DUPLICATE.matcher(first);
        if (duplicate.lookingAt()) {
            return where + ": the key '" + duplicate.group(1) + "' appears twice in the same mapping";
        }
        return where + ": " + withoutPeriod(first);
    }

    /** SnakeYAML marks count from 0; people count lines and columns from 1. */
    private static String at(Mark mark) {
        return " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    private static String withoutPeriod(String text) {
        String t = text.strip();
        return t.endsWith(".") ? t.substring(0, t.length() - 1) : t;
    }
}
