package io.prodigy.storage.dashboard;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks the access token. A request passes with {@code Authorization: Bearer TOKEN}, with {@code ?token=TOKEN} (the
 * link the dashboard prints; the answer then sets a cookie so the page's own links and its live tail need no token),
 * or with that cookie. Tokens are compared in constant time.
 */
final class AccessGuard {

    static final String COOKIE = "prodigy_dashboard_token";

    private final byte[] token;

    AccessGuard(String token) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    boolean required() {
        return token != null;
    }

    /** How a request proved it knows the token. */
    enum Via { NONE, HEADER, QUERY, COOKIE }

    /** How the request proved it knows the token, or {@link Via#NONE} if it did not. */
    Via check(Exchange x) {
        if (token == null) {
            return Via.HEADER;
        }
        String auth = x.header("Authorization");
        if (auth != null && auth.startsWith("Bearer ") && matches(auth.substring(7).trim())) {
            return Via.HEADER;
        }
        String q = x.query().get("token");
        if (q != null && matches(q)) {
            return Via.QUERY;
        }
        for (String cookies : x.headers("Cookie")) {
            for (String c : cookies.split(";")) {
                String[] kv = c.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals(COOKIE)
                        && matches(URLDecoder.decode(kv[1], StandardCharsets.UTF_8))) {
                    return Via.COOKIE;
                }
            }
        }
        return Via.NONE;
    }

    /** The cookie that lets the browser's next requests through. */
    String cookie() {
        return COOKIE + "=" + new String(token, StandardCharsets.UTF_8) + "; Path=/; HttpOnly; SameSite=Strict";
    }

    private boolean matches(String given) {
        return MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8));
    }
}
