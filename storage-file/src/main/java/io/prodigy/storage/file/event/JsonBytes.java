package io.prodigy.storage.file.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ShortNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.prodigy.storage.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;

/**
 * An unsynchronized byte sink that also writes JSON values itself, byte for byte as {@link Json#mapper()}'s
 * generator writes them, for the values it recognises: strings, the standard number nodes, booleans, nulls, and
 * objects and arrays of those (at most {@value #MAX_DEPTH} deep). The event codec writes an event through these
 * methods and hands the generator only what they refuse; the generator writes into this same sink.
 *
 * <p><b>The same bytes.</b> Strings are escaped as the mapper's UTF-8 generator escapes them: {@code "} and
 * {@code \} with a backslash, the control characters below U+0020 as {@code \b \t \n \f \r} or {@code &#92;u00XX}
 * (upper-case hex), every UTF-16 surrogate, paired or not, as {@code &#92;uXXXX} (the generator does not combine pairs),
 * every other character as raw UTF-8 (U+007F and U+2028 included). Numbers are written as the generator writes them
 * ({@code Long.toString}, {@code Double.toString}, {@code BigDecimal.toString}; a non-finite double or float as a
 * quoted string, the mapper's {@code QUOTE_NON_NUMERIC_NUMBERS}). The ASCII escapes are taken from the mapper, and
 * {@link #SAME_AS_MAPPER} compares this writer's output with the mapper's for values of every kind once, at class
 * initialisation: if a future mapper configuration or Jackson version writes anything differently, every value goes
 * to the generator, as before this class existed.
 *
 * <p>Not thread-safe; the array is handed over without a copy ({@link #bytes}, {@link #size}).
 */
final class JsonBytes extends OutputStream {

    /** Deeper values are left to the generator (which enforces its own nesting limit). */
    static final int MAX_DEPTH = 64;

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE = "false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MIN_LONG = Long.toString(Long.MIN_VALUE).getBytes(StandardCharsets.US_ASCII);
    /** For each ASCII character, what the mapper writes for it inside a string; {@code null}: the character itself. */
    private static final byte[][] ASCII_ESCAPES = asciiEscapes();

    /** Whether this writer writes what the mapper writes (checked once; otherwise nothing is written here). */
    static final boolean SAME_AS_MAPPER = sameAsMapper();

    byte[] bytes;
    int size;

    JsonBytes(int capacity) {
        bytes = new byte[Math.max(capacity, 64)];
    }

    // ---------------------------------------------------------------------------------------------- byte sink

    @Override
    public void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    /** Grows the array to at least {@code capacity} bytes (keeping what it holds). */
    void reserve(long capacity) {
        if (capacity > bytes.length && capacity < Integer.MAX_VALUE - 64) {
            bytes = Arrays.copyOf(bytes, (int) capacity + 64);
        }
    }

    void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 64,
                    Math.max(bytes.length * 2L, (long) size + more)));
        }
    }

    // ---------------------------------------------------------------------------------------------- JSON values

    /** Characters of ASCII text that need no escape, written as they are (the caller knows they do). */
    void writeAscii(char[] text, int off, int len) {
        ensure(len);
        byte[] b = bytes;
        int p = size;
        for (int i = 0; i < len; i++) {
            b[p++] = (byte) text[off + i];
        }
        size = p;
    }

    /**
     * A JSON string, quoted and escaped as the mapper's generator does.
     *
     * @return whether every character was written as itself, one byte each (ASCII, nothing escaped)
     */
    boolean writeString(String s) {
        int n = s.length();
        ensure(n + 2);
        byte[] b = bytes;
        int p = size;
        b[p++] = '"';
        int i = 0;
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 128 || ASCII_ESCAPES[c] != null) {
                break;
            }
            b[p++] = (byte) c;
        }
        size = p;
        if (i < n) {
            writeStringRest(s, i); // escapes or non-ASCII: the rare case, off the hot loop
        }
        ensure(1);
        bytes[size++] = '"';
        return i == n;
    }

    private void writeStringRest(String s, int from) {
        int n = s.length();
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            ensure(6);
            byte[] b = bytes;
            if (c < 128) {
                byte[] escape = ASCII_ESCAPES[c];
                if (escape == null) {
                    b[size++] = (byte) c;
                } else {
                    System.arraycopy(escape, 0, b, size, escape.length);
                    size += escape.length;
                }
            } else if (c < 0x800) {
                b[size++] = (byte) (0xc0 | (c >> 6));
                b[size++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                b[size++] = '\\';
                b[size++] = 'u';
                b[size++] = HEX[(c >> 12) & 0xf];
                b[size++] = HEX[(c >> 8) & 0xf];
                b[size++] = HEX[(c >> 4) & 0xf];
                b[size++] = HEX[c & 0xf];
            } else {
                b[size++] = (byte) (0xe0 | (c >> 12));
                b[size++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                b[size++] = (byte) (0x80 | (c & 0x3f));
            }
        }
    }

    /** The decimal digits of {@code v}, with its sign (as {@code Long.toString}). */
    void writeLong(long v) {
        if (v == Long.MIN_VALUE) {
            write(MIN_LONG);
            return;
        }
        ensure(20);
        if (v < 0) {
            bytes[size++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long x = v / 10; x > 0; x /= 10) {
            digits++;
        }
        byte[] b = bytes;
        for (int i = size + digits - 1; i >= size; i--) {
            b[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        size += digits;
    }

    /**
     * Writes {@code node} as the mapper's serializer for a {@code JsonNode} value does, if it is made only of the
     * values this writer recognises.
     *
     * @return {@code false} if it met anything else (what it wrote is then partial: the caller discards it)
     */
    boolean writeNode(JsonNode node) {
        return SAME_AS_MAPPER && node(node, 0);
    }

    private boolean node(JsonNode node, int depth) {
        Class<?> type = node.getClass(); // exact classes: a subclass may serialize itself differently
        if (type == TextNode.class) {
            String text = node.textValue();
            if (text == null) {
                write(NULL);
            } else {
                writeString(text);
            }
        } else if (type == ObjectNode.class) {
            return object((ObjectNode) node, depth + 1);
        } else if (type == ArrayNode.class) {
            return array((ArrayNode) node, depth + 1);
        } else if (type == IntNode.class || type == LongNode.class || type == ShortNode.class) {
            writeLong(node.longValue());
        } else if (type == BooleanNode.class) {
            write(node.booleanValue() ? TRUE : FALSE);
        } else if (type == NullNode.class) {
            write(NULL);
        } else if (type == DoubleNode.class) {
            double d = node.doubleValue();
            writeNumberText(Double.toString(d), Double.isFinite(d));
        } else if (type == FloatNode.class) {
            float f = node.floatValue();
            writeNumberText(Float.toString(f), Float.isFinite(f));
        } else if (type == DecimalNode.class) {
            BigDecimal d = node.decimalValue();
            writeNumberText(d.toString(), true);
        } else if (type == BigIntegerNode.class) {
            writeNumberText(node.bigIntegerValue().toString(), true);
        } else {
            return false; // POJONode, BinaryNode, MissingNode, custom nodes: the generator's
        }
        return true;
    }

    private void writeNumberText(String text, boolean finite) {
        if (!finite) {
            writeString(text); // NaN and the infinities are quoted (QUOTE_NON_NUMERIC_NUMBERS)
            return;
        }
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[size++] = (byte) text.charAt(i);
        }
    }

    private boolean object(ObjectNode node, int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        write('{');
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        boolean first = true;
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!first) {
                write(',');
            }
            first = false;
            writeString(field.getKey());
            write(':');
            if (!node(field.getValue(), depth)) {
                return false;
            }
        }
        write('}');
        return true;
    }

    private boolean array(ArrayNode node, int depth) {
        if (depth > MAX_DEPTH) {
            return false;
        }
        write('[');
        for (int i = 0; i < node.size(); i++) {
            if (i > 0) {
                write(',');
            }
            if (!node(node.get(i), depth)) {
                return false;
            }
        }
        write(']');
        return true;
    }

    // ---------------------------------------------------------------------------------------------- self-check

    private static byte[][] asciiEscapes() {
        byte[][] escapes = new byte[128][];
        for (char c = 0; c < 128; c++) {
            String s = String.valueOf(c);
            byte[] json = mapperBytes(Json.nodes().textNode(s));
            byte[] inner = Arrays.copyOfRange(json, 1, json.length - 1); // without the quotes
            if (inner.length != 1 || inner[0] != c) {
                escapes[c] = inner;
            }
        }
        return escapes;
    }

    /**
     * Compares this writer with the mapper on a value that holds every kind of node and every class of character
     * this writer handles itself.
     */
    private static boolean sameAsMapper() {
        ObjectNode probe = Json.nodes().objectNode();
        StringBuilder all = new StringBuilder();
        for (char c = 1; c < 0x800; c++) {
            all.append(c);
        }
        all.append("\u2028\u2029\ufeff\uffff\ud83d\ude00\ud800x\udc00");
        probe.put("chars", all.toString());
        probe.put(all.toString(), "key");
        probe.put("int", Integer.MIN_VALUE).put("long", Long.MIN_VALUE).put("short", (short) -7);
        probe.put("double", -0.0).put("exp", 1e300).put("tiny", 1e-7).put("nan", Double.NaN)
                .put("inf", Double.NEGATIVE_INFINITY).put("float", 1.1f).put("finf", Float.POSITIVE_INFINITY);
        probe.put("decimal", new BigDecimal("1E+3")).put("decimal2", new BigDecimal("-0.000000123"));
        probe.put("bigint", new java.math.BigInteger("-123456789012345678901234567890"));
        probe.put("t", true).put("f", false).putNull("null");
        probe.putArray("empty");
        probe.putObject("emptyObject");
        probe.putArray("array").add(1).addNull().addObject().put("x", "y");
        JsonBytes mine = new JsonBytes(64);
        if (!mine.node(probe, 0)) {
            return false;
        }
        return Arrays.equals(Arrays.copyOf(mine.bytes, mine.size), mapperBytes(probe));
    }

    /** What the codec's generator writes for a {@code data} value (see {@code EventCodec}). */
    private static byte[] mapperBytes(JsonNode node) {
        JsonBytes out = new JsonBytes(64);
        try (JsonGenerator gen = Json.mapper().createGenerator(out)) {
            node.serialize(gen, Json.mapper().getSerializerProviderInstance());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Arrays.copyOf(out.bytes, out.size);
    }
}
