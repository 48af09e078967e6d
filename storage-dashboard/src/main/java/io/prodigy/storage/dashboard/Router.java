package io.prodigy.storage.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.prodigy.storage.UnifiedStorage;
import io.prodigy.storage.config.Redaction;
import io.prodigy.storage.dashboard.html.Pages;
import io.prodigy.storage.error.InvalidInputException;
import io.prodigy.storage.error.NotFoundException;
import io.prodigy.storage.error.StorageException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request enters here: the token check, GET/HEAD only, then the API, the pages, the assets or the live tail,
 * and one translation of failures into status codes (400 bad input, 401 no token, 404 unknown, 405 not GET,
 * 503 storage unavailable, 500 otherwise). Messages never carry URL credentials.
 */
final class Router implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(Router.class);

    private final AccessGuard guard;
    private final Api api;
    private final HtmlRoutes pages;
    private final LiveTail liveTail;

    Router(UnifiedStorage storage, AccessGuard guard, LiveTail liveTail) {
        this.guard = guard;
        this.api = new Api(storage);
        this.pages = new HtmlRoutes(api);
        this.liveTail = liveTail;
    }

    @Override
    public void handle(HttpExchange http) {
        Exchange x = new Exchange(http);
        List<String> path = x.segments();
        boolean isApi = !path.isEmpty() && path.get(0).equals("api");
        try {
            if (!x.method().equals("GET") && !x.method().equals("HEAD")) {
                x.setHeader("Allow", "GET, HEAD");
                throw new HttpError(405, "The dashboard is read-only: only GET and HEAD are served.");
            }
            AccessGuard.Via via = guard.check(x);
            if (via == AccessGuard.Via.NONE) {
                x.setHeader("WWW-Authenticate", "Bearer realm=\"prodigy-storage dashboard\"");
                throw new HttpError(401, "This dashboard needs its access token: open the address it printed"
                        + " (with ?token=...), or send 'Authorization: Bearer TOKEN'.");
            }
            if (via == AccessGuard.Via.QUERY) {
                x.setHeader("Set-Cookie", guard.cookie());
            }
            if (isApi) {
                List<String> rest = path.subList(1, path.size());
                if (rest.size() == 4 && rest.get(0).equals("jobs") && rest.get(3).equals("stream")) {
                    liveTail.serve(x, api.existingJob(rest.get(1), rest.get(2)));
                } else if (rest.size() == 4 && rest.get(0).equals("jobs") && rest.get(3).equals("chart.svg")) {
                    x.send(200, "image/svg+xml; charset=utf-8", api.chartSvg(rest.get(1), rest.get(2)));
                } else {
                    x.json(200, api.get(rest, x.query()));
                }
            } else if (!path.isEmpty() && path.get(0).equals("assets")) {
                Assets.serve(x, path);
            } else {
                x.html(200, pages.get(path, x.query()));
            }
        } catch (HttpError e) {
            fail(x, isApi, e.status(), e.getMessage());
        } catch (NotFoundException e) {
            fail(x, isApi, 404, e.getMessage());
        } catch (InvalidInputException | IllegalArgumentException e) {
            fail(x, isApi, 400, e.getMessage());
        } catch (StorageException e) {
            log.warn("Storage failed while answering {}", path, e);
            fail(x, isApi, 503, "The storage failed: " + e.getMessage());
        } catch (UncheckedIOException e) {
            x.close(); // the client went away
        } catch (RuntimeException e) {
            log.error("Failed to answer {}", path, e);
            fail(x, isApi, 500, "Internal error: " + e.getClass().getSimpleName() + ". See the dashboard's log.");
        }
    }

    private static void fail(Exchange x, boolean isApi, int status, String message) {
        String safe = Redaction.redactUrl(message == null ? "" : message);
        try {
            if (isApi) {
                x.json(status, Map.of("status", status, "error", safe));
            } else {
                x.html(status, Pages.error(status, safe));
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            x.close();
        }
    }
}
