package io.prodigy.storage.dashboard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * Where the dashboard listens and who may read it.
 *
 * @param bind  the address to bind; a loopback address serves only this machine
 * @param port  the TCP port, or 0 for any free port
 * @param token the access token every request must carry, or {@code null} for none (allowed only on loopback)
 */
public record DashboardOptions(InetAddress bind, int port, String token) {

    /** Shortest access token accepted, so a guessable one is refused. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public DashboardOptions {
        Objects.requireNonNull(bind, "bind");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("Port " + port + " is out of range: give 0 (any free port) to 65535.");
        }
        if (token != null && (token.length() < MIN_TOKEN_LENGTH || !token.matches("[A-Za-z0-9._~-]+"))) {
            throw new IllegalArgumentException("The access token must be at least " + MIN_TOKEN_LENGTH
                    + " characters of letters, digits, '.', '_', '~' or '-'. Leave it out to have one generated.");
        }
        if (token == null && !bind.isLoopbackAddress()) {
            throw new IllegalArgumentException("Binding to " + bind.getHostAddress() + " serves other machines, so"
                    + " the dashboard needs an access token: give one, or let one be generated.");
        }
    }

    /** The default: this machine only, on {@code port}, no token. */
    public static DashboardOptions loopback(int port) {
        return new DashboardOptions(InetAddress.getLoopbackAddress(), port, null);
    }

    /**
     * Options for binding {@code address} (a host name or IP literal): a non-loopback address gets {@code token}, or a
     * generated one when {@code token} is {@code null}; a loopback address keeps {@code token} as given.
     */
    public static DashboardOptions forAddress(String address, int port, String token) {
        InetAddress bind;
        try {
            bind = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("Cannot bind to '" + address + "': no such address. Give an IP address"
                    + " of this machine, 127.0.0.1 (the default) or 0.0.0.0 (every interface).", e);
        }
        return new DashboardOptions(bind, port, token == null && !bind.isLoopbackAddress() ? newToken() : token);
    }

    /** A random token of 32 URL-safe characters (192 bits). */
    public static String newToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public String toString() {
        return "DashboardOptions[bind=" + bind.getHostAddress() + ", port=" + port + ", token="
                + (token == null ? "none" : "****") + "]";
    }
}
