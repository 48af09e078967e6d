package io.prodigy.storage.migrate.prodigy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.json.Json;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProdigyTimeTest {

    @ParameterizedTest
    @CsvSource({
        "2025-03-10T14:01:58Z,                    2025-03-10T14:01:58Z",
        "2025-03-10T14:01:58.120Z,                2025-03-10T14:01:58.120Z",
        "2025-03-10T14:01:58.411800Z,             2025-03-10T14:01:58.4118Z",
        "2025-03-10T14:01:58.411800709Z,          2025-03-10T14:01:58.411800709Z",
        "2025-03-10T14:01:58+00:00,               2025-03-10T14:01:58Z",
        "2025-03-10T14:01:58.120+00:00,           2025-03-10T14:01:58.120Z",
        "2025-03-10T14:01:58.411800+00:00,        2025-03-10T14:01:58.4118Z",
        "2025-03-10T14:01:58.411800709+00:00,     2025-03-10T14:01:58.411800709Z",
        "2025-03-10T16:01:58.5+02:00,             2025-03-10T14:01:58.5Z"
    })
    void timestampsWithAnyPrecisionAndEitherUtcSuffix(String text, String expected) {
        assertThat(ProdigyTime.instant(text)).contains(Instant.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "yesterday", "2025-03-10", "2025-03-10T14:01:58", "1741615318"})
    void otherTextIsNotATimestamp(String text) {
        assertThat(ProdigyTime.instant(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[183,412000000]              | PT3M3.412S",
        "[45,0]                       | PT45S",
        "{\"secs\":45,\"nanos\":0}       | PT45S",
        "{\"secs\":42,\"nanos\":500000000} | PT42.5S",
        "{\"secs\":7}                  | PT7S"
    })
    void bothDurationEncodings(String json, String expected) throws Exception {
        assertThat(ProdigyTime.duration(Json.mapper().readTree(json))).contains(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"30s\"", "[1]", "[1,2,3]", "[1,-5]", "[1,1000000000]", "{\"nanos\":5}", "[1.5,0]"})
    void otherValuesAreNotDurations(String json) throws Exception {
        JsonNode node = Json.mapper().readTree(json);
        assertThat(ProdigyTime.duration(node)).isEmpty();
    }
}
