package io.prodigy.storage.cli;

import java.util.Arrays;
import java.util.List;

/**
 * Configures slf4j-simple before the first logger exists (it reads its settings once): WARN by default so that the
 * output stays the command's own, DEBUG with {@code -v/--verbose}. Logs go to stderr, keeping stdout clean for
 * {@code --json}. A level set by the user with {@code -Dorg.slf4j.simpleLogger.defaultLogLevel} wins.
 */
final class Logging {

    private static final String LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    private static final List<String> VERBOSE_FLAGS = List.of("-v", "--verbose");

    private Logging() {}

    static void configure(String[] args) {
        boolean verbose = Arrays.stream(args).takeWhile(a -> !a.equals("--")).anyMatch(VERBOSE_FLAGS::contains);
        if (System.getProperty(LEVEL) == null) {
            System.setProperty(LEVEL, verbose ? "debug" : "warn");
        }
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", verbose ? "true" : "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
        setIfAbsent("org.slf4j.simpleLogger.levelInBrackets", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
