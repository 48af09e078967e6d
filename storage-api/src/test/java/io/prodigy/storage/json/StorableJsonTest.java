package io.prodigy.storage.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.event.NewEvent;
import org.junit.jupiter.api.Test;

class StorableJsonTest {

    @Test
    void aNulInAnyTextValueIsRefusedWithItsPath() {
        ObjectNode data = Json.nodes().objectNode();
        data.putArray("lines").add("fine").add("bad\u0000line");

        assertThatThrownBy(() -> NewEvent.of("log", data))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("event data")
                .hasMessageContaining("$.lines[1]")
                .hasMessageContaining("U+0000");
    }

    @Test
    void aNulInAFieldNameIsRefusedToo() {
        ObjectNode data = Json.nodes().objectNode();
        data.putObject("outer").put("k\u0000", 1);

        assertThatThrownBy(() -> Json.checkStorable("payload", data))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("$.outer.k\\u0000");
    }

    @Test
    void otherControlCharactersAndUnicodeAreStorable() {
        ObjectNode data = Json.nodes().objectNode().put("text", "tab\there \u00e9 \uD801\uDC00 \u0001");

        assertThat(Json.checkStorable("payload", data)).isSameAs(data);
    }
}
