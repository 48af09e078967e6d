package io.prodigy.storage.dashboard.html;

import io.prodigy.storage.dashboard.text.Formats;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small HTML writer: every text and attribute value goes through {@link #esc}, so stored data (event payloads,
 * error messages, ids) can never inject markup or script into a page.
 */
final class Html {

    private final StringBuilder b = new StringBuilder(16 * 1024);

    /** Escapes {@code &}, {@code <}, {@code >}, {@code "} and {@code '}. */
    static String esc(Object value) {
        String s = value == null ? "" : value.toString();
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** A URL path segment or query value, percent-encoded. */
    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** {@code path?k=v&...} with the non-empty parameters, encoded. */
    static String url(String path, Map<String, String> params) {
        StringBuilder u = new StringBuilder(path);
        char sep = '?';
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (p.getValue() != null && !p.getValue().isEmpty()) {
                u.append(sep).append(enc(p.getKey())).append('=').append(enc(p.getValue()));
                sep = '&';
            }
        }
        return u.toString();
    }

    /** {@code params} with {@code key} set to {@code value} (a copy). */
    static Map<String, String> with(Map<String, String> params, String key, String value) {
        Map<String, String> m = new LinkedHashMap<>(params);
        m.remove("token");
        m.put(key, value);
        return m;
    }

    /** Appends raw markup (the caller's own, never stored data). */
    Html raw(String markup) {
        b.append(markup);
        return this;
    }

    /** Appends escaped text. */
    Html text(Object value) {
        b.append(esc(value));
        return this;
    }

    /** {@code <tag attrs>text</tag>} with escaped text. */
    Html el(String tag, String attrs, Object text) {
        b.append('<').append(tag);
        if (attrs != null && !attrs.isEmpty()) {
            b.append(' ').append(attrs);
        }
        b.append('>').append(esc(text)).append("</").append(tag).append('>');
        return this;
    }

    Html link(String href, Object text) {
        return el("a", "href=\"" + esc(href) + "\"", text);
    }

    /** A {@code <time>} element showing UTC seconds, its full value in the tooltip. */
    Html time(Instant t) {
        if (t == null) {
            return text("-");
        }
        return el("time", "datetime=\"" + t + "\" title=\"" + Formats.preciseTime(t) + "\"", Formats.time(t));
    }

    /** A table row of escaped cells. */
    Html row(Object... cells) {
        b.append("<tr>");
        for (Object c : cells) {
            b.append("<td>").append(esc(c)).append("</td>");
        }
        b.append("</tr>");
        return this;
    }

    /** A table head. */
    Html head(String... names) {
        b.append("<thead><tr>");
        for (String n : names) {
            b.append("<th>").append(esc(n)).append("</th>");
        }
        b.append("</tr></thead>");
        return this;
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
