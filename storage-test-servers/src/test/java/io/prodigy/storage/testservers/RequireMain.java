package io.prodigy.storage.testservers;

/**
 * Run in a child JVM by {@link MissingServerTest} with the environment under test: asks {@link TestServers} for one
 * server and prints what came of it on one line, {@code FOUND} or the class and message of what was thrown.
 */
public final class RequireMain {

    private RequireMain() {}

    public static void main(String[] args) {
        try {
            Object server = switch (args[0]) {
                case "postgres" -> TestServers.postgres();
                case "redis" -> TestServers.redis();
                case "s3" -> TestServers.s3();
                default -> throw new IllegalArgumentException("postgres, redis or s3, not " + args[0]);
            };
            System.out.println("FOUND " + server);
        } catch (Throwable t) {
            System.out.println(t.getClass().getName() + ": " + t.getMessage());
        }
    }
}
