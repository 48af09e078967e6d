package io.prodigy.storage.cli;

import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.json.Json;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/**
 * The JSON document a failed command prints on stdout with {@code --json}, so that scripts always get one document
 * to parse (docs/cli.md, "Errors with --json"):
 * <pre>{"error": {"type": "not_found", "message": "Job 'x' not found …", "exit_code": 1}}</pre>
 * {@code type} is {@code usage} (bad command line), {@code configuration} (bad setting), {@code command_failed},
 * the storage error's kind in snake_case ({@code not_found}, {@code version_conflict}, {@code fencing},
 * {@code invalid_input}, {@code storage_unavailable}, …), {@code io} or {@code unexpected}. The human message still
 * goes to stderr.
 */
final class JsonError {

    private JsonError() {}

    static void print(PrintWriter stdout, Throwable error, String message, int exitCode) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type(error));
        body.put("message", message);
        body.put("exit_code", exitCode);
        try {
            stdout.println(Json.mapper().writeValueAsString(Map.of("error", body)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        stdout.flush();
    }

    static String type(Throwable error) {
        if (error instanceof UsageException || error instanceof CommandLine.ParameterException) {
            return "usage";
        }
        if (error instanceof StorageConfigException) {
            return "configuration";
        }
        if (error instanceof CommandFailedException) {
            return "command_failed";
        }
        if (error instanceof io.prodigy.storage.error.StorageException) {
            String name = error.getClass().getSimpleName().replaceFirst("Exception$", "");
            return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        }
        if (error instanceof UncheckedIOException) {
            return "io";
        }
        return "unexpected";
    }
}
