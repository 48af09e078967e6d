package io.prodigy.storage.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.prodigy.storage.error.CorruptionException;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.json.Json;
import java.io.IOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/** Reading and binding the column types the schema uses: timestamptz as {@link Instant}, jsonb as JSON text. */
final class Rows {

    private Rows() {}

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /**
     * SQL reading {@code column} (a timestamptz) as whole microseconds since the epoch, a {@code bigint} to read with
     * {@link #instantOfMicros}. Used on the hot paths because pgjdbc builds a calendar for every result set that a
     * timestamp is read from, which cost more client time than the rest of a one-row reply (JFR of lock grants and
     * session loads); the server's conversion is exact (whole microseconds, PostgreSQL's resolution).
     */
    static String micros(String column) {
        return "(EXTRACT(EPOCH FROM " + column + ") * 1000000)::int8";
    }

    /** The instant of a {@link #micros} column, {@code null} for SQL NULL. */
    static Instant instantOfMicros(ResultSet rs, String column) throws SQLException {
        long micros = rs.getLong(column);
        return rs.wasNull() ? null
                : Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /**
     * A jsonb column as a tree, parsed from the UTF-8 bytes the driver received (jsonb comes as text: pgjdbc
     * transfers it in text format), which spares decoding it into a {@code String} first.
     */
    static JsonNode json(ResultSet rs, String column) throws SQLException {
        byte[] utf8 = rs.getBytes(column);
        if (utf8 == null) {
            return null;
        }
        try {
            return Json.mapper().readTree(utf8);
        } catch (JsonProcessingException e) {
            throw new CorruptionException("Column " + column + " holds JSON that cannot be read: "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CorruptionException("Column " + column + " holds JSON that cannot be read: "
                    + e.getMessage(), e);
        }
    }

    static <T> T json(ResultSet rs, String column, Class<T> type) throws SQLException {
        JsonNode node = json(rs, column);
        try {
            return node == null ? null : Json.mapper().treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new CorruptionException("Column " + column + " holds JSON that is not a " + type.getSimpleName()
                    + ": " + e.getOriginalMessage(), e);
        }
    }

    /** {@code value} as JSON text for a {@code ?::jsonb} parameter. */
    static String jsonText(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new InvalidInputException("Cannot write the value as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Length of {@code text} in UTF-8 bytes. */
    static long utf8Length(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    static void bindJson(PreparedStatement ps, int index, Object value) throws SQLException {
        ps.setString(index, jsonText(value));
    }

    static void bindText(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }

    static Array textArray(Connection c, List<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray(new String[0]));
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
