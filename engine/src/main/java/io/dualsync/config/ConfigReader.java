package io.dualsync.config;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The state of reading one configuration file: where relative paths start, where environment
 * variables come from, and every problem found so far (reading goes on after a problem, so all are
 * reported at once). Single-use, one thread.
 */
final class ConfigReader {
    private final String file;
    private final Path baseDir;
    private final Function<String, String> env;
    private final List<ConfigProblem> problems = new ArrayList<>();

    ConfigReader(String file, Path baseDir, Function<String, String> env) {
        this.file = file;
        this.baseDir = baseDir;
        this.env = env;
    }

    List<ConfigProblem> problems() {
        return problems;
    }

    void problem(Node at, String key, String message) {
        problem(line(at), key, message);
    }

    void problem(int line, String key, String message) {
        problems.add(new ConfigProblem(file, line, key, message));
    }

    Path resolve(String path) {
        return baseDir.resolve(path).normalize();
    }

    static int line(Node node) {
        return node == null ? 1 : node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
    }

    static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping (key: value lines)";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        return "a single value";
    }

    /** An explicitly empty value ({@code key:}, {@code ~}, {@code null}): the same as not setting the key. */
    static boolean isNull(Node node) {
        return node instanceof ScalarNode && ((ScalarNode) node).isPlain() && Tag.NULL.equals(node.getTag());
    }

    /**
     * The scalar's text with {@code ${NAME}} and {@code ${NAME:-default}} replaced from the environment
     * (<code>$${</code> is a literal <code>${</code>). Null after reporting unset variables or a malformed reference.
     */
    String text(ScalarNode node, String key) {
        String raw = node.getValue();
        if (raw.indexOf('$') < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        List<String> unset = new ArrayList<>();
        boolean ok = true;
        int i = 0;
        while (i < raw.length()) {
            if (raw.startsWith("$${", i)) {
                out.append("${");
                i += 3;
                continue;
            }
            if (!raw.startsWith("${", i)) {
                out.append(raw.charAt(i++));
                continue;
            }
            int close = raw.indexOf('}', i + 2);
            if (close < 0) {
                problem(node, key, "`${` is not closed: write ${NAME} or ${NAME:-default} (or $${ for a literal ${)");
                return null;
            }
            String inner = raw.substring(i + 2, close);
            int sep = inner.indexOf(":-");
            String name = sep < 0 ? inner : inner.substring(0, sep);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                // The text is not quoted: it may be part of a secret.
                problem(node, key, "a ${...} reference does not hold an environment variable name: write ${NAME} or "
                        + "${NAME:-default}, names are letters, digits and _ (or $${ for a literal ${)");
                ok = false;
                i = close + 1;
                continue;
            }
            String value = env.apply(name);
            if (sep >= 0 && (value == null || value.isEmpty())) {
                value = inner.substring(sep + 2);
            }
            if (value == null) {
                unset.add(name);
            } else {
                out.append(value);
            }
            i = close + 1;
        }
        for (String name : unset) {
            problem(node, key, "environment variable " + name + " is not set (export it, or write ${" + name
                    + ":-default} to give a default)");
        }
        return ok && unset.isEmpty() ? out.toString() : null;
    }

    /**
     * The closest known name to a mistyped one, for "did you mean": first ignoring case, then by edit
     * distance (at most a third of the name), then one that starts with it (or it with that), then a
     * known key with the same last segment elsewhere.
     */
    static String suggest(String wrong, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : new TreeSet<>(known)) {
            int d = io.dualsync.mapping.Suggest.distance(wrong.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        if (best != null && bestDistance <= Math.max(2, wrong.length() / 3)) {
            return best;
        }
        String lower = wrong.toLowerCase(Locale.ROOT);
        for (String k : new TreeSet<>(known)) {
            String candidate = k.toLowerCase(Locale.ROOT);
            if (lower.length() >= 3 && (candidate.startsWith(lower) || lower.startsWith(candidate))) {
                return k;
            }
        }
        String last = wrong.substring(wrong.lastIndexOf('.') + 1);
        for (String k : new TreeSet<>(known)) {
            if (k.substring(k.lastIndexOf('.') + 1).equalsIgnoreCase(last)) {
                return k;
            }
        }
        return null;
    }
}
