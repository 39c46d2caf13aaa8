package io.capstan.node.agent.env;

import java.util.Map;
import java.util.function.Function;

/**
 * Kubernetes' {@code $(VAR)} expansion of env values, command and args: {@code $(NAME)} becomes
 * the variable's value when it is defined and stays as written when not; {@code $$} is an escaped
 * {@code $} (so {@code $$(NAME)} gives the literal {@code $(NAME)}); a {@code $} followed by anything
 * else, or an unterminated {@code $(}, is kept as is.
 */
public final class Expansion {
    private Expansion() {}

    /** Expands {@code input} with the variables of {@code vars}. */
    public static String expand(String input, Map<String, String> vars) {
        return expand(input, name -> vars.get(name));
    }

    /** Expands {@code input}; {@code lookup} returns null for an undefined variable. */
    public static String expand(String input, Function<String, String> lookup) {
        if (input == null || input.indexOf('$') < 0) {
            return input;
        }
        StringBuilder out = new StringBuilder(input.length());
        int i = 0;
        int n = input.length();
        while (i < n) {
            char c = input.charAt(i);
            if (c != '$' || i + 1 >= n) {
                out.append(c);
                i++;
                continue;
            }
            char next = input.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '(') {
                int close = input.indexOf(')', i + 2);
                if (close < 0) {
                    out.append("$(");
                    i += 2;
                } else {
                    String name = input.substring(i + 2, close);
                    String value = lookup.apply(name);
                    out.append(value != null ? value : "$(" + name + ")");
                    i = close + 1;
                }
            } else {
                out.append('$').append(next);
                i += 2;
            }
        }
        return out.toString();
    }
}
