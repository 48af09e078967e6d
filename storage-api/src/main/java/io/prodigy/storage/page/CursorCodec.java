package io.prodigy.storage.page;

import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.id.Ids;
import io.prodigy.storage.support.InstantRange;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Turns a {@link PageKey} into the opaque cursor string every backend hands out, and back. Written once, so a cursor
 * from one backend names the same position on another (a migration can resume a walk on the copy).
 *
 * <p>Layout (then base64url without padding): a format byte, the CRC32C of the listing's binding (its name and scope,
 * so a cursor from another listing or another scope is refused), the key ({@code at} as epoch second and nano when
 * present, then each part as UTF-8 with its length), and a CRC32C of everything before it, so an altered or truncated
 * cursor is refused rather than silently read as another position. The checksum detects accidents, not forgery; a
 * forged cursor can only name a position in the same listing, which the caller could reach by walking anyway.
 */
final class CursorCodec {

    private static final byte FORMAT = 1;
    private static final int MAX_CURSOR_CHARS = 4096;
    private static final int MAX_PARTS = 8;

    private CursorCodec() {}

    static String encode(String binding, PageKey key) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeInt(crc(binding.getBytes(StandardCharsets.UTF_8)));
            out.writeBoolean(key.at() != null);
            if (key.at() != null) {
                out.writeLong(key.at().getEpochSecond());
                out.writeInt(key.at().getNano());
            }
            out.writeByte(key.parts().size());
            for (String part : key.parts()) {
                byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
                out.writeShort(utf8.length);
                out.write(utf8);
            }
            out.writeInt(crc(bytes.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
    }

    /**
     * @param listing what the error message calls the listing ("session")
     * @throws InvalidInputException if the cursor was not produced by {@link #encode} for this binding, or was altered
     */
    static PageKey decode(String listing, String binding, String cursor) {
        if (cursor.length() > MAX_CURSOR_CHARS) {
            throw invalid(listing, "it is too long to be a cursor");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            throw invalid(listing, "it is not a cursor this store produced");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(raw);
            if (in.get() != FORMAT) {
                throw invalid(listing, "it is not a cursor this store produced");
            }
            if (raw.length < 5 + 4 || crc(raw, raw.length - 4) != ByteBuffer.wrap(raw, raw.length - 4, 4).getInt()) {
                throw invalid(listing, "it was altered or cut short");
            }
            if (in.getInt() != crc(binding.getBytes(StandardCharsets.UTF_8))) {
                throw invalid(listing, "it belongs to another listing");
            }
            Instant at = null;
            if (in.get() != 0) {
                at = Instant.ofEpochSecond(in.getLong(), in.getInt());
                if (InstantRange.MIN.isAfter(at) || InstantRange.MAX.isBefore(at)) {
                    throw invalid(listing, "its position lies outside the stored range of times");
                }
            }
            int count = in.get();
            if (count < 1 || count > MAX_PARTS) {
                throw invalid(listing, "it was altered");
            }
            List<String> parts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] utf8 = new byte[Short.toUnsignedInt(in.getShort())];
                in.get(utf8);
                String part = StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(utf8)).toString();
                if (Ids.problem(part) != null) {
                    throw invalid(listing, "it was altered");
                }
                parts.add(part);
            }
            if (in.remaining() != 4) {
                throw invalid(listing, "it was altered");
            }
            return new PageKey(at, parts);
        } catch (BufferUnderflowException | CharacterCodingException | DateTimeException e) {
            throw invalid(listing, "it was altered or cut short");
        }
    }

    private static InvalidInputException invalid(String listing, String why) {
        return new InvalidInputException("Invalid page cursor for the " + listing + " listing: " + why + ". Pass the"
                + " next cursor of the previous page of this same listing, or no cursor to start from the first"
                + " page.");
    }

    private static int crc(byte[] bytes) {
        return crc(bytes, bytes.length);
    }

    private static int crc(byte[] bytes, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
