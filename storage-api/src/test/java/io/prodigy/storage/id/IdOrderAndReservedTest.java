package io.prodigy.storage.id;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prodigy.storage.error.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdOrderAndReservedTest {

    @ParameterizedTest
    @ValueSource(strings = {"job{1}", "job*", "job?", "job[0]", "a]b", "{tag}"})
    void charactersSpecialInRedisKeysAndPatternsAreRefused(String id) {
        assertThatThrownBy(() -> Ids.check("job id", id))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("reserved");
    }

    @Test
    void idsOrderByTheirUtf8BytesNotByUtf16Units() {
        // U+FF5E (3 UTF-8 bytes, one UTF-16 unit) sorts before U+10400 (4 bytes, a surrogate pair) in byte order, but
        // after it in String.compareTo, because the surrogate 0xD801 is below 0xFF5E.
        String fullwidth = "a\uFF5E";
        String deseret = "a\uD801\uDC00";
        List<String> ids = new ArrayList<>(List.of(deseret, fullwidth, "a-b", "A", "a", "ab", "é"));

        ids.sort(Ids.BYTE_ORDER);

        List<String> byBytes = new ArrayList<>(ids);
        byBytes.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_8),
                y.getBytes(StandardCharsets.UTF_8)));
        assertThat(ids).containsExactlyElementsOf(byBytes)
                .containsExactly("A", "a", "a-b", "ab", fullwidth, deseret, "é");
        assertThat(fullwidth.compareTo(deseret)).as("UTF-16 order differs").isPositive();
    }
}
