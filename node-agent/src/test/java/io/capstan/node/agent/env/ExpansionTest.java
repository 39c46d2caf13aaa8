package io.capstan.node.agent.env;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpansionTest {
    final Map<String, String> vars = Map.of("A", "alpha", "B", "beta", "EMPTY", "");

    @Test
    void definedVariablesAreReplaced() {
        assertEquals("alpha-beta", Expansion.expand("$(A)-$(B)", vars));
        assertEquals("xalphay", Expansion.expand("x$(A)y", vars));
        assertEquals("", Expansion.expand("$(EMPTY)", vars));
    }

    @Test
    void undefinedVariablesStayAsWritten() {
        assertEquals("$(NOPE) alpha", Expansion.expand("$(NOPE) $(A)", vars));
    }

    @Test
    void doubleDollarEscapes() {
        assertEquals("$(A)", Expansion.expand("$$(A)", vars));
        assertEquals("$alpha", Expansion.expand("$$$(A)", vars));
        assertEquals("$$", Expansion.expand("$$$$", vars));
    }

    @Test
    void otherDollarsAreKept() {
        assertEquals("$A $", Expansion.expand("$A $", vars));
        assertEquals("$(A", Expansion.expand("$(A", vars));
        assertEquals("cost: $5", Expansion.expand("cost: $5", vars));
        assertEquals("$()", Expansion.expand("$()", vars));
    }
}
