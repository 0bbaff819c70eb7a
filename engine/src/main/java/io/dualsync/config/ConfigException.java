package io.dualsync.config;

import java.util.List;

/**
 * A configuration that cannot be used, with every problem found in it (not only the first), sorted
 * by line. Thrown before anything starts. The message is the problems one per line, ready to print.
 */
public final class ConfigException extends RuntimeException {
    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(render(problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem, sorted by line; never empty. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String render(List<ConfigProblem> problems) {
        StringBuilder out = new StringBuilder();
        for (ConfigProblem p : problems) {
            out.append(p).append('\n');
        }
        out.append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
                .append(" in the configuration; nothing was started");
        return out.toString();
    }
}
