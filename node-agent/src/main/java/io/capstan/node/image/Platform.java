package io.capstan.node.image;

/** This machine's platform in OCI terms. */
final class Platform {
    private Platform() {}

    /** The OCI architecture of this JVM's machine: amd64, arm64, ... */
    static String architecture() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            default -> arch;
        };
    }
}
