package io.capstan.node.proxy;

/** {@code nft} in the configured network namespace; scripts go to {@code nft -f -}, one transaction each. */
final class Nft {
    private final ProxyConfig config;
    private final NetnsExec exec;

    Nft(ProxyConfig config) {
        this.config = config;
        this.exec = new NetnsExec(config);
    }

    /** Applies {@code script} atomically; throws {@link NftException} with nft's message if it fails. */
    void apply(String script) {
        exec.run(script, config.nft().toString(), "-f", "-");
    }

    /** {@code nft list table ip capstan}, or "" when the table does not exist. */
    String listTable() {
        try {
            return exec.run(null, config.nft().toString(), "list", "table", "ip", ProxyConfig.TABLE);
        } catch (NftException e) {
            if (e.getMessage().contains("No such file or directory")) {
                return "";
            }
            throw e;
        }
    }

    /** Deletes {@code table ip capstan} if it exists; nothing else is touched. */
    void deleteTable() {
        apply("add table ip " + ProxyConfig.TABLE + "\ndelete table ip " + ProxyConfig.TABLE + "\n");
    }
}
