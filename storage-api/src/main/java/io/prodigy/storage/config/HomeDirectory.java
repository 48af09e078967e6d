package io.prodigy.storage.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The user's home directory, resolved in one place for every part of prodigy-storage: the file backend's default
 * {@code ~/.prodigy}, {@code ~} in configuration values and environment variables, the config file
 * {@code ~/.prodigy/config.yml}, legacy migration and the CLI.
 *
 * <p>The rule is the original tool's ({@code dirs::home_dir()}): the {@code HOME} environment variable when it is set
 * and not blank, else Java's {@code user.home} (the password file's entry). The two differ under {@code sudo}, in
 * containers and on CI runners, where {@code HOME} is what the user means; reading one here and the other there would
 * read and write two different stores.
 */
public final class HomeDirectory {

    /** The environment variable that names the home directory. */
    public static final String HOME_VARIABLE = "HOME";

    private HomeDirectory() {}

    /** The home directory of this process: {@code $HOME}, else {@code user.home}. */
    public static Path current() {
        return of(System.getenv());
    }

    /**
     * The home directory for an environment (the CLI and the configuration loader pass the environment they were
     * given, so tests can point {@code HOME} at a temporary directory): {@code env.get("HOME")}, else
     * {@code user.home}.
     */
    public static Path of(Map<String, String> env) {
        String home = env == null ? null : env.get(HOME_VARIABLE);
        if (home == null || home.isBlank()) {
            home = System.getProperty("user.home");
        }
        return Path.of(home.strip()).toAbsolutePath().normalize();
    }

    /**
     * {@code ~} and {@code ~/x} become {@code home} and {@code home/x}; other paths (including {@code ~user/x}) are
     * unchanged.
     */
    public static Path expand(String text, Path home) {
        if (text.equals("~")) {
            return home;
        }
        if (text.startsWith("~/")) {
            return home.resolve(text.substring(2));
        }
        return Path.of(text);
    }
}
