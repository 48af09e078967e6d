package io.prodigy.storage.cli;

import picocli.CommandLine;

/** The version from the jar manifest (the build writes it), or "development" when run from classes. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = ProdigyStorageCli.class.getPackage().getImplementationVersion();
        return new String[] {"prodigy-storage " + (version == null ? "(development build)" : version),
            "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
