package io.prodigy.storage.memory;

/** Describes this process for humans (the {@code owner} of lock leases): {@code pid 4711 on build-7}. */
final class ProcessIdentity {

    private ProcessIdentity() {}

    static String describe() {
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            host = System.getenv("COMPUTERNAME");
        }
        if (host == null || host.isBlank()) {
            host = "localhost";
        }
        return "pid " + ProcessHandle.current().pid() + " on " + host;
    }
}
