package io.capstan.node.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole desired content of {@code table ip capstan}: its chains (name to the chain's hook
 * declaration, "" for a regular chain), its sets and maps (name to their definition), and the rules
 * and elements to add to them. {@link #transaction(Ruleset)} turns it into one {@code nft -f} script
 * that makes the table exactly this, given what the previous successful run wrote.
 */
final class Ruleset {
    /** The verdict maps and plain sets whose elements are all rewritten on every run. */
    static final List<String> REWRITTEN_SETS = List.of(RulesetRenderer.SERVICE_IPS, RulesetRenderer.SERVICE_NODEPORTS,
            RulesetRenderer.NO_ENDPOINT_SERVICES, RulesetRenderer.NO_ENDPOINT_NODEPORTS, RulesetRenderer.CLUSTER_IPS);

    private final String family = "ip";
    private final String table;
    private final Map<String, String> chains = new LinkedHashMap<>();
    private final Map<String, String> sets = new LinkedHashMap<>();
    private final List<String> statements = new ArrayList<>();

    Ruleset(String table) {
        this.table = table;
    }

    Ruleset chain(String name, String declaration) {
        chains.put(name, declaration);
        return this;
    }

    Ruleset chain(String name) {
        return chain(name, "");
    }

    /** A set or map: {@code definition} is its body, such as {@code type ipv4_addr; flags timeout;}. */
    Ruleset set(String kind, String name, String definition) {
        sets.put(name, kind + " " + definition);
        return this;
    }

    Ruleset rule(String chain, String rule) {
        statements.add("add rule " + family + " " + table + " " + chain + " " + rule);
        return this;
    }

    Ruleset element(String set, String element) {
        statements.add("add element " + family + " " + table + " " + set + " { " + element + " }");
        return this;
    }

    Map<String, String> chains() {
        return chains;
    }

    Map<String, String> sets() {
        return sets;
    }

    /**
     * The script that turns the table into this ruleset. With no {@code previous} (first run, or
     * after a failure) it deletes and recreates the table; otherwise it flushes every rule and the
     * rewritten maps, keeps the affinity sets (and the client addresses they remember) whose
     * definition did not change, and deletes chains and sets this ruleset no longer has. nft applies
     * a script as one transaction: all of it or nothing.
     */
    String transaction(Ruleset previous) {
        StringBuilder s = new StringBuilder();
        String t = family + " " + table;
        s.append("add table ").append(t).append('\n');
        if (previous == null) {
            s.append("delete table ").append(t).append('\n');
            s.append("add table ").append(t).append('\n');
        } else {
            s.append("flush table ").append(t).append('\n');
        }
        for (Map.Entry<String, String> set : sets.entrySet()) {
            String kind = set.getValue().substring(0, set.getValue().indexOf(' '));
            String before = previous == null ? null : previous.sets.get(set.getKey());
            if (before != null && !before.equals(set.getValue())) {
                s.append("delete ").append(kind).append(' ').append(t).append(' ').append(set.getKey()).append('\n');
            }
            s.append("add ").append(kind).append(' ').append(t).append(' ').append(set.getKey())
                    .append(" { ").append(set.getValue().substring(kind.length() + 1)).append(" }\n");
            if (before != null && REWRITTEN_SETS.contains(set.getKey())) {
                s.append("flush ").append(kind).append(' ').append(t).append(' ').append(set.getKey()).append('\n');
            }
        }
        for (Map.Entry<String, String> chain : chains.entrySet()) {
            s.append("add chain ").append(t).append(' ').append(chain.getKey());
            if (!chain.getValue().isEmpty()) {
                s.append(" { ").append(chain.getValue()).append(" }");
            }
            s.append('\n');
        }
        statements.forEach(st -> s.append(st).append('\n'));
        if (previous != null) {
            previous.chains.keySet().stream().filter(c -> !chains.containsKey(c))
                    .forEach(c -> s.append("delete chain ").append(t).append(' ').append(c).append('\n'));
            previous.sets.forEach((name, def) -> {
                if (!sets.containsKey(name)) {
                    s.append("delete ").append(def, 0, def.indexOf(' ')).append(' ').append(t).append(' ')
                            .append(name).append('\n');
                }
            });
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ruleset r && table.equals(r.table) && chains.equals(r.chains) && sets.equals(r.sets)
                && statements.equals(r.statements);
    }

    @Override
    public int hashCode() {
        return statements.hashCode();
    }
}
