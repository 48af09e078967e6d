package io.prodigy.storage.tck;

import io.prodigy.storage.id.Ids;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Identifiers every store must reject with {@link io.prodigy.storage.error.InvalidInputException} before they reach
 * a file path, an object key or a query: path traversal, separators, NUL and other control characters, empty and
 * over-long values. Used as the {@code @MethodSource} of the contracts' invalid-id tests.
 */
public final class InvalidIds {

    private InvalidIds() {}

    /** Each bad id with a short label for the test report. */
    public static Stream<Arguments> all() {
        return Stream.of(
                Arguments.of("dot-dot", ".."),
                Arguments.of("traversal", "../../etc/passwd"),
                Arguments.of("embedded traversal", "a..b"),
                Arguments.of("slash", "a/b"),
                Arguments.of("absolute path", "/tmp/x"),
                Arguments.of("backslash", "a\\b"),
                Arguments.of("NUL", "a\u0000b"),
                Arguments.of("newline", "a\nb"),
                Arguments.of("empty", ""),
                Arguments.of("over-long", "x".repeat(Ids.MAX_BYTES + 1)));
    }
}
