package io.prodigy.storage.migrate.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.prodigy.storage.json.Json;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    private static final JsonNodeFactory N = Json.nodes();

    @Test
    void keysAreSortedAndNullsDropped() throws Exception {
        var a = Json.mapper().readTree("{\"b\":1,\"a\":{\"y\":null,\"x\":[3,\"s\",true]},\"c\":null}");

        assertThat(CanonicalJson.write(a)).isEqualTo("{\"a\":{\"x\":[3,\"s\",true]},\"b\":1}");
    }

    @Test
    void numbersCompareByValue() {
        assertThat(CanonicalJson.write(N.numberNode(5))).isEqualTo(CanonicalJson.write(N.numberNode(5L)))
                .isEqualTo(CanonicalJson.write(N.numberNode(5.0))).isEqualTo(CanonicalJson.write(
                        N.numberNode(new BigDecimal("5.000")))).isEqualTo("5");
        assertThat(CanonicalJson.write(N.numberNode(0.25))).isEqualTo("0.25");
        assertThat(CanonicalJson.write(N.numberNode(1e20))).isEqualTo("100000000000000000000");
        assertThat(CanonicalJson.write(N.numberNode(Double.NaN))).isEqualTo("\"NaN\"");
    }

    @Test
    void differentValuesDifferAndStringsAreEscaped() {
        assertThat(CanonicalJson.sha256(N.textNode("1"))).isNotEqualTo(CanonicalJson.sha256(N.numberNode(1)));
        assertThat(CanonicalJson.write(N.textNode("a\"b\n☃"))).isEqualTo("\"a\\\"b\\n☃\"");
        assertThat(CanonicalJson.sha256(N.objectNode())).hasSize(64);
    }
}
