package io.dualsync.config;

/**
 * One thing wrong with a configuration file, where it is and what to do about it. Rendered as
 * {@code file:line: key.path: message}. A message never holds the value of a secret key.
 *
 * @param file    the configuration file as the user named it
 * @param line    1-based line of the offending key (for a missing key: its section, or 1)
 * @param key     the dotted key path ({@code apply.retry.deadline}, {@code webhooks.fo.auth.type}),
 *                or {@code yaml} for a syntax error
 * @param message what is wrong and, where it helps, what to write instead
 */
public record ConfigProblem(String file, int line, String key, String message) {

    @Override
    public String toString() {
        return file + ":" + line + ": " + key + ": " + message;
    }
}
