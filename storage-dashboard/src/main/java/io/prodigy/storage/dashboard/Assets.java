package io.prodigy.storage.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The stylesheet, the live-tail script and the icon, served from the jar ({@code assets/} next to this class).
 * Nothing is fetched from anywhere else at run time.
 */
final class Assets {

    private static final Map<String, String> TYPES = Map.of(
            "dashboard.css", "text/css; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();

    private Assets() {}

    static void serve(Exchange x, List<String> path) {
        String name = path.size() == 2 ? path.get(1) : "";
        String type = TYPES.get(name);
        if (type == null) {
            throw HttpError.notFound("No asset '" + name + "'.");
        }
        x.send(200, type, CACHE.computeIfAbsent(name, Assets::read));
    }

    private static byte[] read(String name) {
        try (InputStream in = Assets.class.getResourceAsStream("assets/" + name)) {
            if (in == null) {
                throw new IllegalStateException("asset " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
