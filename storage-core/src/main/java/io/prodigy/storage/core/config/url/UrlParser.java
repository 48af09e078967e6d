package io.prodigy.storage.core.config.url;

import io.prodigy.storage.config.StorageConfigException;
import io.prodigy.storage.core.config.url.UrlTable.Form;
import io.prodigy.storage.core.config.url.UrlTable.Key;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parses the URL forms of {@link StorageUrl} with {@link URI} for the structure (scheme, authority, path, query) and
 * checks each part against the form. Every message shows the URL through {@link StorageUrl#redact} and never echoes
 * a part of the user info: a malformed URL is where an unencoded password ends up in the wrong part.
 */
final class UrlParser {

    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");
    private static final String ENCODING_HINT = " Percent-encode reserved characters in the user name, password, path"
            + " and query values (@ as %40, / as %2F, ? as %3F, # as %23, space as %20)";
    private static final String BAD_ESCAPE_HINT = " (% must be followed by two hex digits; write a literal % as %25)";
    private static final int MAX_PORT = 65_535;

    private UrlParser() {}

    /** The scheme of {@code text} as written, if it starts with one. */
    static Optional<String> scheme(String text) {
        Matcher m = SCHEME.matcher(text == null ? "" : text.strip());
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static StorageUrl parse(String text) {
        if (text == null || text.isBlank()) {
            throw StorageConfigException.of(StorageUrl.KEY, "The storage URL in {key} is empty. Expected one of: "
                    + Form.all() + ".");
        }
        String url = text.strip();
        String shown = StorageUrl.redact(url);
        String scheme = scheme(url).orElseThrow(() -> StorageConfigException.of(StorageUrl.KEY, "Invalid storage URL '"
                + shown + "' in {key}: it has no scheme." + (url.startsWith("/") ? " For a directory write file://"
                + shown + "." : "") + " Expected one of: " + Form.all() + "."));
        Form form = Form.ofScheme(scheme).orElseThrow(() -> StorageConfigException.of(StorageUrl.KEY,
                "Unknown scheme '" + scheme + "' in storage URL '" + shown + "' ({key}). Expected one of: "
                        + Form.all() + "."));
        Parts parts = new Parts(url, shown, scheme.toLowerCase(Locale.ROOT), form);
        Map<String, Object> config = switch (form) {
            case FILE -> parts.file();
            case MEMORY -> parts.memory();
            case POSTGRES -> parts.postgres();
            case REDIS -> parts.redis();
            case S3 -> parts.s3();
        };
        return new StorageUrl(form.backend(), config, shown);
    }

    /** One URL being parsed against its form. */
    private static final class Parts {
        private final String url;
        private final String shown;
        private final String scheme;
        private final Form form;
        private URI uri;

        Parts(String url, String shown, String scheme, Form form) {
            this.url = url;
            this.shown = shown;
            this.scheme = scheme;
            this.form = form;
        }

        Map<String, Object> memory() {
            if (url.length() > scheme.length() + 1) {
                throw fail("the memory backend takes nothing after 'memory:'");
            }
            return Map.of();
        }

        Map<String, Object> file() {
            URI u = uri();
            if (u.isOpaque()) {
                throw fail("the path is relative (or starts with ~, which URLs do not expand); the file backend"
                        + " needs an absolute path, written with three slashes");
            }
            checkNoFragment(u);
            query(u); // the file backend takes no query parameters: any is reported as unknown
            String authority = u.getRawAuthority();
            if (authority != null && !authority.isEmpty() && !authority.equalsIgnoreCase("localhost")) {
                throw fail("it names a host: file URLs name a local absolute path, written with three slashes"
                        + " (file://dir/x reads 'dir' as a host, not as the first directory)");
            }
            String path = u.getPath();
            if (path == null || path.isEmpty()) {
                throw fail("it names no path");
            }
            try {
                return values(Key.FILE_BASE_DIR, Path.of(new URI("file", null, path, null)).toString());
            } catch (URISyntaxException | IllegalArgumentException e) {
                throw fail("the path is not a local absolute path");
            }
        }

        Map<String, Object> postgres() {
            URI u = uri();
            Authority a = authority(u);
            String database = singleSegment(u, "database");
            if (database == null) {
                throw fail("it names no database: add /DATABASE after the host");
            }
            Map<Key, String> query = query(u);
            Map<String, Object> out = new LinkedHashMap<>();
            // pgjdbc decodes percent-escapes in the database name itself, so it goes into the JDBC URL as written.
            out.put(Key.POSTGRES_URL.configKey(), "jdbc:postgresql://" + a.hostPort() + "/" + database);
            if (a.user() != null && !a.user().isEmpty()) {
                out.put(Key.POSTGRES_USERNAME.configKey(), a.user());
            }
            if (a.password() != null && !a.password().isEmpty()) {
                out.put(Key.POSTGRES_PASSWORD.configKey(), a.password());
            }
            putAll(out, query);
            return out;
        }

        Map<String, Object> redis() {
            URI u = uri();
            Authority a = authority(u);
            if (a.user() != null && !a.user().isEmpty()) {
                throw fail("it has a user name: Redis URLs take only a password, after a colon (redis://:PASSWORD@host)");
            }
            String db = singleSegment(u, "database number");
            if (db != null && !db.matches("\\d{1,9}")) {
                throw fail("the database '/" + db + "' is not a whole number (0, 1, 2 ...)");
            }
            Map<Key, String> query = query(u);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put(Key.REDIS_URL.configKey(), scheme + "://" + a.hostPort() + (db == null ? "" : "/" + db));
            if (a.password() != null && !a.password().isEmpty()) {
                out.put(Key.REDIS_PASSWORD.configKey(), a.password());
            }
            putAll(out, query);
            return out;
        }

        Map<String, Object> s3() {
            URI u = uri();
            checkNoFragment(u);
            String bucket = u.getRawAuthority();
            if (bucket == null || bucket.isEmpty()) {
                throw fail("it names no bucket");
            }
            if (bucket.contains("@")) {
                throw fail("it holds credentials; S3 credentials come from the standard AWS environment variables"
                        + " (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or the default credentials chain, never from"
                        + " the URL");
            }
            if (bucket.contains(":")) {
                throw fail("the bucket name has a port; an s3 URL names the bucket, and an S3-compatible server goes"
                        + " in ?endpoint=http://host:port");
            }
            Map<Key, String> query = query(u);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put(Key.S3_BUCKET.configKey(), decode(bucket, "bucket name"));
            String prefix = u.getRawPath() == null ? "" : u.getRawPath().replaceFirst("^/+", "");
            if (!prefix.isEmpty()) {
                out.put(Key.S3_PREFIX.configKey(), decode(prefix, "prefix"));
            }
            String endpoint = query.get(Key.S3_ENDPOINT);
            if (endpoint != null) {
                checkEndpoint(endpoint);
            }
            String pathStyle = query.get(Key.S3_PATH_STYLE);
            if (pathStyle != null && !pathStyle.equals("true") && !pathStyle.equals("false")) {
                throw fail("path_style must be true or false, was '" + pathStyle + "'");
            }
            for (Map.Entry<Key, String> e : query.entrySet()) {
                out.put(e.getKey().configKey(), e.getKey() == Key.S3_PATH_STYLE ? Boolean.valueOf(e.getValue())
                        : e.getValue());
            }
            return out;
        }

        private void checkEndpoint(String endpoint) {
            URI e;
            try {
                e = new URI(endpoint);
            } catch (URISyntaxException ex) {
                throw fail("the endpoint is not a URL (" + ex.getReason() + ")");
            }
            String s = e.getScheme() == null ? "" : e.getScheme().toLowerCase(Locale.ROOT);
            if (!(s.equals("http") || s.equals("https")) || e.getRawAuthority() == null) {
                throw fail("the endpoint must be an http:// or https:// URL with a host, such as"
                        + " endpoint=http://127.0.0.1:9000");
            }
            if (e.getRawUserInfo() != null || e.getRawAuthority().contains("@")) {
                throw fail("the endpoint holds credentials; S3 credentials come from the standard AWS environment"
                        + " variables or the default credentials chain, never from the URL");
            }
        }

        /** The URL's structure; an unparseable URL fails with the reason and position, never the text. */
        private URI uri() {
            if (url.length() == scheme.length() + 1) {
                throw fail("nothing follows '" + scheme + ":'");
            }
            if (uri == null) {
                try {
                    uri = new URI(url);
                } catch (URISyntaxException e) {
                    if (e.getReason().startsWith("Malformed escape pair")) {
                        throw fail("it has a bad percent-escape at index " + e.getIndex() + BAD_ESCAPE_HINT);
                    }
                    throw fail("it is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")."
                            + ENCODING_HINT);
                }
            }
            return uri;
        }

        /** The user, password, host and port of a server URL. */
        private Authority authority(URI u) {
            checkNoFragment(u);
            String raw = u.getRawAuthority();
            if (u.isOpaque() || raw == null || raw.isEmpty()) {
                throw fail("it names no host (write " + scheme + "://...)");
            }
            String afterAuthority = url.substring(url.indexOf("//") + 2 + raw.length());
            if (afterAuthority.contains("@")) {
                // The user info ended early: an unencoded '/', '?' or '#' in the password. Show nothing of it.
                throw fail("the user name or password contains a character that must be percent-encoded."
                        + ENCODING_HINT);
            }
            int at = raw.lastIndexOf('@');
            String user = null;
            String password = null;
            if (at >= 0) {
                String info = raw.substring(0, at);
                int colon = info.indexOf(':');
                user = decode(colon < 0 ? info : info.substring(0, colon), "user name or password");
                password = colon < 0 ? null : decode(info.substring(colon + 1), "user name or password");
            }
            String hostPort = raw.substring(at + 1);
            String host = hostPort;
            String port = null;
            if (hostPort.startsWith("[")) {
                int close = hostPort.indexOf(']');
                if (close < 0) {
                    throw fail("the IPv6 address is not closed with ]");
                }
                host = hostPort.substring(0, close + 1);
                String rest = hostPort.substring(close + 1);
                if (!rest.isEmpty() && !rest.startsWith(":")) {
                    throw fail("only :PORT may follow the IPv6 address");
                }
                port = rest.isEmpty() ? null : rest.substring(1);
            } else if (hostPort.indexOf(':') >= 0) {
                host = hostPort.substring(0, hostPort.indexOf(':'));
                port = hostPort.substring(hostPort.indexOf(':') + 1);
            }
            if (host.isEmpty()) {
                throw fail("it names no host");
            }
            if (port != null && !validPort(port)) {
                throw fail("the port is not a whole number from 1 to " + MAX_PORT);
            }
            return new Authority(user, password, host, port);
        }

        private static boolean validPort(String port) {
            return port.matches("\\d{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= MAX_PORT;
        }

        /** The one path segment after the host (still percent-encoded), or {@code null} if the path is empty. */
        private String singleSegment(URI u, String what) {
            String path = u.getRawPath();
            if (path == null || path.isEmpty() || path.equals("/")) {
                return null;
            }
            String segment = path.substring(1);
            if (segment.contains("/")) {
                throw fail("the path after the host must be a single /" + what.toUpperCase(Locale.ROOT)
                        .replace(' ', '_'));
            }
            decode(segment, what);
            return segment;
        }

        /** The query parameters by the key they set; unknown, repeated, empty or value-less parameters fail. */
        private Map<Key, String> query(URI u) {
            Map<Key, String> out = new EnumMap<>(Key.class);
            String raw = u.getRawQuery();
            if (raw == null) {
                return out;
            }
            List<Key> allowed = form.queryKeys();
            for (String part : raw.split("&", -1)) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String name = decode(eq < 0 ? part : part.substring(0, eq), "query parameter");
                Key key = allowed.stream().filter(k -> k.queryParameter().equals(name)).findFirst()
                        .orElseThrow(() -> fail("unknown query parameter '" + name + "'" + (allowed.isEmpty()
                                ? "; this form takes none" : "; valid: " + allowed.stream().map(Key::queryParameter)
                                .collect(Collectors.joining(", ")))));
                if (eq < 0) {
                    throw fail("the query parameter '" + name + "' has no value: write " + name + "=VALUE");
                }
                String value = decode(part.substring(eq + 1), "query value");
                if (value.isEmpty()) {
                    throw fail("the query parameter '" + name + "' is empty");
                }
                if (out.put(key, value) != null) {
                    throw fail("the query parameter '" + name + "' is given more than once");
                }
            }
            return out;
        }

        private void checkNoFragment(URI u) {
            if (u.getRawFragment() != null) {
                throw fail("it has a fragment (#...); percent-encode # as %23 where it belongs to a value");
            }
        }

        /** Percent-decoding only: a {@code +} stays a plus sign (URLDecoder alone would make it a space). */
        private String decode(String raw, String what) {
            try {
                return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw fail("the " + what + " has a bad percent-escape" + BAD_ESCAPE_HINT);
            }
        }

        private static void putAll(Map<String, Object> out, Map<Key, String> query) {
            query.forEach((k, v) -> out.put(k.configKey(), v));
        }

        private static Map<String, Object> values(Key key, Object value) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put(key.configKey(), value);
            return out;
        }

        private StorageConfigException fail(String problem) {
            return StorageConfigException.of(StorageUrl.KEY, "Invalid storage URL '" + shown + "' in {key}: "
                    + problem + ". Expected " + form.syntax() + ".");
        }
    }

    /** The server part of a URL; user and password percent-decoded, host and port as written. */
    private record Authority(String user, String password, String host, String port) {
        String hostPort() {
            return port == null ? host : host + ":" + port;
        }

        @Override
        public String toString() {
            return "Authority[" + hostPort() + "]";
        }
    }
}
