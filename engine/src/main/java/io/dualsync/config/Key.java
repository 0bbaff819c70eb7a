package io.dualsync.config;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One configuration key, declared once in {@link ConfigKeys}: its dotted name, type, default,
 * description and validation. {@link EngineConfig} reads it; docs/configuration.md documents it (a
 * test keeps the two in step). Immutable.
 *
 * @param <T> the value's type once read
 */
public final class Key<T> {
    private final String name;
    private final String type;
    private final T defaultValue;
    private final String defaultText;
    private final String description;
    private final String example;
    private final boolean secret;
    private final boolean required;
    private final NodeReader<T> reader;
    private final boolean readDefault;

    private Key(String name, String type, T defaultValue, String defaultText, String description, String example,
                boolean secret, boolean required, NodeReader<T> reader, boolean readDefault) {
        this.name = Objects.requireNonNull(name);
        this.type = type;
        this.defaultValue = defaultValue;
        this.defaultText = defaultText;
        this.description = description;
        this.example = example;
        this.secret = secret;
        this.required = required;
        this.reader = reader;
        this.readDefault = readDefault;
    }

    /** The dotted path, as written in YAML sections or flat ({@code apply.retry.deadline}). */
    public String name() {
        return name;
    }

    /** What values it takes, for people: {@code integer 1..52}, {@code duration}, {@code process | power}. */
    public String type() {
        return type;
    }

    /** The value used when the file does not set it; empty for required keys and keys without one. */
    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The default as the documentation writes it ({@code 8080}, {@code none}, {@code https://login.microsoftonline.com/<tenant>/}). */
    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }

    /** A value to show in examples and in "missing" messages. */
    public String example() {
        return example;
    }

    /** Whether the value is a secret: never printed, logged or put in a message. */
    public boolean secret() {
        return secret;
    }

    public boolean required() {
        return required;
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- declaration helpers, used by ConfigKeys ----

    Key<T> required(boolean isRequired) {
        return new Key<>(name, type, defaultValue, isRequired ? "required" : defaultText, description, example,
                secret, isRequired, reader, readDefault);
    }

    Key<T> example(String text) {
        return new Key<>(name, type, defaultValue, defaultText, description, text, secret, required, reader, readDefault);
    }

    /** For defaults computed from other keys (the authority from the tenant). */
    Key<T> defaultText(String text) {
        return new Key<>(name, type, defaultValue, text, description, example, secret, required, reader, readDefault);
    }

    /** An extra rule on the value; {@code message} says what is expected. */
    Key<T> check(Predicate<T> ok, String message) {
        NodeReader<T> inner = reader;
        return new Key<>(name, type, defaultValue, defaultText, description, example, secret, required,
                (node, path, in) -> {
                    T value = inner.read(node, path, in);
                    if (value != null && !ok.test(value)) {
                        in.problem(node, path, message);
                        return null;
                    }
                    return value;
                }, readDefault);
    }

    /**
     * Whether the default is text read like a value from the file (paths: resolved against the
     * file's folder and checked) rather than {@link #defaultValue()}.
     */
    boolean readsDefault() {
        return readDefault && defaultText != null && !defaultText.equals("none") && !required;
    }

    T read(Node node, String path, ConfigReader in) {
        return reader.read(node, path, in);
    }

    /** How a value is read from its YAML node; null after reporting a problem to {@code in}. */
    interface NodeReader<T> {
        T read(Node node, String path, ConfigReader in);
    }

    /** How the text of a scalar (after ${ENV} substitution) becomes a value. */
    interface TextParser<T> {
        T parse(String text, ConfigReader in) throws InvalidValue;
    }

    static <T> Key<T> of(String name, String type, T defaultValue, String defaultText, String description,
                         NodeReader<T> reader) {
        return new Key<>(name, type, defaultValue, defaultText, description, defaultText, false, false, reader, false);
    }

    static <T> Key<T> scalar(String name, String type, T defaultValue, String defaultText, String description,
                             TextParser<T> parser) {
        return of(name, type, defaultValue, defaultText, description, scalarReader(parser, false));
    }

    private static <T> NodeReader<T> scalarReader(TextParser<T> parser, boolean secret) {
        return (node, path, in) -> {
            if (!(node instanceof ScalarNode)) {
                in.problem(node, path, "expected a single value, got " + ConfigReader.kind(node));
                return null;
            }
            String text = in.text((ScalarNode) node, path);
            if (text == null) {
                return null;
            }
            try {
                return parser.parse(text, in);
            } catch (InvalidValue e) {
                // A secret's text must not reach a message, even a message about the secret.
                in.problem(node, path, secret ? "invalid secret value (" + Secret.MASK + ")" : e.getMessage());
                return null;
            }
        };
    }

    static Key<String> string(String name, String defaultValue, String description) {
        return scalar(name, "string", defaultValue, defaultValue == null ? "none" : defaultValue, description,
                (text, in) -> {
                    if (text.isBlank()) {
                        throw new InvalidValue("must not be empty");
                    }
                    return text.trim();
                });
    }

    static Key<Secret> secret(String name, String description) {
        TextParser<Secret> parser = (text, in) -> {
            if (text.isEmpty()) {
                throw new InvalidValue("must not be empty");
            }
            return Secret.of(text);
        };
        return new Key<>(name, "secret", null, "none", description, "${SECRET_ENV_VAR}", true, false,
                scalarReader(parser, true), false);
    }

    static Key<Integer> integer(String name, Integer defaultValue, int min, int max, String description) {
        return scalar(name, "integer " + min + ".." + max, defaultValue, String.valueOf(defaultValue), description,
                (text, in) -> {
                    int value;
                    try {
                        value = Integer.parseInt(text.trim().replace("_", ""));
                    } catch (NumberFormatException e) {
                        throw new InvalidValue("expected a whole number, got `" + text + "`");
                    }
                    if (value < min || value > max) {
                        throw new InvalidValue("must be between " + min + " and " + max + ", got " + value);
                    }
                    return value;
                });
    }

    static Key<Duration> duration(String name, Duration defaultValue, Duration min, Duration max, String description) {
        return scalar(name, "duration", defaultValue, defaultValue == null ? "none" : Durations.format(defaultValue),
                description, (text, in) -> {
                    Duration d = Durations.parse(text);
                    if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                        throw new InvalidValue("must be between " + Durations.format(min) + " and "
                                + Durations.format(max) + ", got " + Durations.format(d));
                    }
                    return d;
                });
    }

    /** An http(s) URL with a host; {@code httpsOnly} for authorities (MSAL refuses http). */
    static Key<URI> url(String name, URI defaultValue, boolean httpsOnly, String description) {
        String schemes = httpsOnly ? "https" : "http or https";
        return scalar(name, httpsOnly ? "https URL" : "URL", defaultValue,
                defaultValue == null ? "none" : defaultValue.toString(), description, (text, in) -> {
                    URI uri;
                    try {
                        uri = new URI(text.trim());
                    } catch (URISyntaxException e) {
                        throw new InvalidValue("`" + text + "` is not a URL: " + e.getReason());
                    }
                    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
                    boolean schemeOk = httpsOnly ? scheme.equals("https") : scheme.equals("http") || scheme.equals("https");
                    if (!schemeOk || uri.getHost() == null) {
                        throw new InvalidValue("expected an " + schemes + " URL with a host, got `" + text + "`");
                    }
                    return uri;
                });
    }

    /** What a path must be when the configuration is loaded. */
    enum PathKind {
        /** An existing folder (maps). */
        EXISTING_DIRECTORY,
        /** An existing, readable file (certificates). */
        EXISTING_FILE,
        /** A folder the engine creates when missing (journal), so only "not a file" is checked. */
        DIRECTORY_TO_CREATE
    }

    /** A path; relative paths are resolved against the configuration file's folder. */
    static Key<Path> path(String name, String defaultText, PathKind kind, String description) {
        NodeReader<Path> reader = scalarReader((text, in) -> {
            Path p;
            try {
                p = in.resolve(text.trim());
            } catch (InvalidPathException e) {
                throw new InvalidValue("`" + text + "` is not a valid path: " + e.getReason());
            }
            String shown = "`" + text.trim() + "`" + (Path.of(text.trim()).isAbsolute() ? "" : " (" + p + ")");
            switch (kind) {
                case EXISTING_DIRECTORY:
                    if (!Files.isDirectory(p)) {
                        throw new InvalidValue(shown + (Files.exists(p) ? " is not a folder" : " does not exist"));
                    }
                    break;
                case EXISTING_FILE:
                    if (!Files.isRegularFile(p)) {
                        throw new InvalidValue(shown + (Files.exists(p) ? " is not a file" : " does not exist"));
                    }
                    if (!Files.isReadable(p)) {
                        throw new InvalidValue(shown + " cannot be read by this user");
                    }
                    break;
                default:
                    if (Files.exists(p) && !Files.isDirectory(p)) {
                        throw new InvalidValue(shown + " exists and is not a folder");
                    }
            }
            return p;
        }, false);
        String type = kind == PathKind.EXISTING_FILE ? "file path" : "folder path";
        String shownDefault = defaultText == null ? "none" : defaultText;
        return new Key<>(name, type, null, shownDefault, description, shownDefault, false, false, reader, true);
    }

    /** One of a fixed set of words, matched without regard to case; the docs and messages show {@code word}. */
    static <E extends Enum<E>> Key<E> choice(String name, List<E> allowed, Function<E, String> word, E defaultValue,
                                             String description) {
        List<String> words = new ArrayList<>();
        for (E e : allowed) {
            words.add(word.apply(e));
        }
        String type = String.join(" | ", words);
        return scalar(name, type, defaultValue, defaultValue == null ? "none" : word.apply(defaultValue), description,
                (text, in) -> {
                    for (E e : allowed) {
                        if (word.apply(e).equalsIgnoreCase(text.trim())) {
                            return e;
                        }
                    }
                    throw new InvalidValue("expected one of " + String.join(", ", words) + ", got `" + text + "`");
                });
    }
}
