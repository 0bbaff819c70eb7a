package io.dualsync.config;

import io.dualsync.mapping.Side;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.common.ScalarStyle;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The engine's configuration, read from one YAML file and checked as a whole before anything starts:
 * every key of {@link ConfigKeys}, {@code ${ENV_VAR}} and {@code ${ENV_VAR:-default}} substituted in
 * values, relative paths resolved against the file's folder, and every problem reported together in a
 * {@link ConfigException} ({@code file:line: key.path: message}). Immutable and thread-safe once
 * loaded; {@link #toString()} and {@link #describe()} show secrets as {@code ****}.
 */
public final class EngineConfig {
    private static final Comparator<ConfigProblem> BY_LINE = Comparator.comparingInt(ConfigProblem::line);

    private final String file;
    private final Map<Key<?>, Object> values;
    private final Map<Key<?>, Integer> lines;

    private EngineConfig(String file, Map<Key<?>, Object> values, Map<Key<?>, Integer> lines) {
        this.file = file;
        this.values = Map.copyOf(values);
        this.lines = Map.copyOf(lines);
    }

    /** Reads and checks {@code file}, substituting variables from the process environment. */
    public static EngineConfig load(Path file) {
        return load(file, System::getenv);
    }

    /**
     * Reads and checks {@code file}, substituting variables from {@code env} (name to value, null
     * when unset).
     *
     * @throws ConfigException with every problem, when there is any
     */
    public static EngineConfig load(Path file, Function<String, String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 1, "file", "does not exist")));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 1, "file", "cannot be read: " + e)));
        }
        Path dir = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), dir, env);
    }

    /**
     * Reads and checks configuration text (tests, the embedded demo configuration).
     *
     * @param fileName shown in problems
     * @param baseDir  where relative paths start
     * @throws ConfigException with every problem, when there is any
     */
    public static EngineConfig parse(String yaml, String fileName, Path baseDir, Function<String, String> env) {
        ConfigReader in = new ConfigReader(fileName, baseDir, env);
        Node root = null;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(fileName).setAllowDuplicateKeys(true).build();
            root = new Compose(settings).composeString(yaml).orElse(null);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(1);
            String context = e.getContext() == null ? "" : " " + e.getContext();
            in.problem(line, "yaml", "not valid YAML: " + e.getProblem() + context);
            throw new ConfigException(in.problems());
        } catch (YamlEngineException e) {
            in.problem(1, "yaml", "not valid YAML: " + e.getMessage());
            throw new ConfigException(in.problems());
        }
        return new Loading(in).run(root, fileName);
    }

    /** The key's value: from the file, or its default. */
    @SuppressWarnings("unchecked")
    public <T> Optional<T> find(Key<T> key) {
        Object v = values.get(key);
        return v != null ? Optional.of((T) v) : key.defaultValue();
    }

    /**
     * The key's value, for keys that always have one (required, or with a default).
     *
     * @throws NoSuchElementException for an optional key that is not set
     */
    public <T> T get(Key<T> key) {
        return find(key).orElseThrow(() -> new NoSuchElementException(key.name() + " is not set"));
    }

    /** Whether the file sets the key (rather than leaving it to its default). */
    public boolean isSet(Key<?> key) {
        return lines.containsKey(key);
    }

    /** The F&O connection. */
    public SystemConfig fo() {
        return system(Side.FO, ConfigKeys.FO);
    }

    /** The Dataverse connection. */
    public SystemConfig dataverse() {
        return system(Side.DATAVERSE, ConfigKeys.DATAVERSE);
    }

    /** The connection to {@code side}. */
    public SystemConfig system(Side side) {
        return side == Side.FO ? fo() : dataverse();
    }

    private SystemConfig system(Side side, ConfigKeys.SystemKeys k) {
        return new SystemConfig(side, get(k.baseUrl), get(k.tenant), get(k.clientId), find(k.clientSecret),
                find(k.certificateKey), find(k.certificateCert), get(k.authority), find(k.tokenHost), get(k.scope));
    }

    /** How POST /webhooks/dataverse is authenticated. */
    public InboundAuth dataverseWebhookAuth() {
        return auth(ConfigKeys.DATAVERSE_WEBHOOK_AUTH);
    }

    /** How POST /webhooks/fo is authenticated. */
    public InboundAuth foWebhookAuth() {
        return auth(ConfigKeys.FO_WEBHOOK_AUTH);
    }

    /** How POST /events is authenticated. */
    public InboundAuth eventsAuth() {
        return auth(ConfigKeys.EVENTS_AUTH);
    }

    /** How /admin/... is authenticated. */
    public InboundAuth adminAuth() {
        return auth(ConfigKeys.ADMIN_AUTH);
    }

    private InboundAuth auth(ConfigKeys.AuthKeys k) {
        InboundAuth.Type type = get(k.type);
        return type == InboundAuth.Type.NONE ? InboundAuth.NONE
                : new InboundAuth(type, find(k.name).orElse(null), get(k.value));
    }

    /**
     * The effective configuration, one {@code key = value} line per key in {@link ConfigKeys#ALL}
     * order, each saying whether it comes from the file (with its line) or is the default. Secrets are
     * {@code ****}. For the startup log and for people checking what runs.
     */
    public String describe() {
        StringBuilder out = new StringBuilder("# effective configuration from ").append(file).append('\n');
        int width = 0;
        for (Key<?> k : ConfigKeys.ALL) {
            width = Math.max(width, k.name().length());
        }
        for (Key<?> k : ConfigKeys.ALL) {
            Optional<?> value = find(k);
            String shown = value.isEmpty() ? "(not set)" : show(k, value.get());
            Integer line = lines.get(k);
            out.append(String.format(Locale.ROOT, "%-" + width + "s = %s", k.name(), shown));
            out.append(line != null ? "   # line " + line : value.isEmpty() ? "" : "   # default").append('\n');
        }
        return out.toString();
    }

    /** The same as {@link #describe()}: safe to log. */
    @Override
    public String toString() {
        return describe();
    }

    static String show(Key<?> key, Object value) {
        if (key.secret() || value instanceof Secret) {
            return Secret.MASK;
        }
        if (value instanceof Duration) {
            return Durations.format((Duration) value);
        }
        if (value instanceof InboundAuth.Type) {
            return ((InboundAuth.Type) value).word();
        }
        if (value instanceof Enum<?>) {
            return ((Enum<?>) value).name().toLowerCase(Locale.ROOT);
        }
        if (value instanceof List<?> && ((List<?>) value).isEmpty()) {
            return "[]";
        }
        if (value instanceof List<?>) {
            List<String> parts = new ArrayList<>();
            for (Object o : (List<?>) value) {
                parts.add(String.valueOf(o));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        return String.valueOf(value);
    }

    /** One pass over one file: collect the nodes, read every key, then check keys against each other. */
    private static final class Loading {
        private final ConfigReader in;
        private final Map<Key<?>, Node> nodes = new HashMap<>();
        private final Map<Key<?>, Integer> lines = new HashMap<>();
        private final Map<String, Integer> seen = new HashMap<>();
        private final Map<String, Integer> sectionLines = new HashMap<>();
        private final Map<Key<?>, Object> values = new HashMap<>();
        /** Keys present in the file whose value was wrong: checks that depend on them are skipped. */
        private final Set<Key<?>> invalid = new HashSet<>();
        private final Set<String> sections = new LinkedHashSet<>();
        private final Set<String> known = new LinkedHashSet<>();

        Loading(ConfigReader in) {
            this.in = in;
            for (Key<?> k : ConfigKeys.ALL) {
                known.add(k.name());
                String name = k.name();
                for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
                    sections.add(name.substring(0, dot));
                }
            }
            known.addAll(sections);
        }

        EngineConfig run(Node root, String file) {
            if (root != null && !ConfigReader.isNull(root)) {
                if (root instanceof MappingNode) {
                    walk((MappingNode) root, "");
                } else {
                    in.problem(root, "(top)", "the file must be a mapping of keys (fo:, dataverse:, ...), got " + ConfigReader.kind(root));
                }
            }
            for (Key<?> k : ConfigKeys.ALL) {
                read(k);
            }
            deriveDefaults();
            checkTogether();
            if (!in.problems().isEmpty()) {
                List<ConfigProblem> sorted = new ArrayList<>(in.problems());
                sorted.sort(BY_LINE);
                throw new ConfigException(sorted);
            }
            return new EngineConfig(file, values, lines);
        }

        private void walk(MappingNode map, String prefix) {
            for (NodeTuple t : map.getValue()) {
                Node keyNode = t.getKeyNode();
                Node value = t.getValueNode();
                if (!(keyNode instanceof ScalarNode)) {
                    in.problem(keyNode, prefix.isEmpty() ? "(top)" : prefix, "keys must be plain names, got " + ConfigReader.kind(keyNode));
                    continue;
                }
                String name = ((ScalarNode) keyNode).getValue();
                String path = prefix.isEmpty() ? name : prefix + "." + name;
                int line = ConfigReader.line(keyNode);
                Integer first = seen.putIfAbsent(path, line);
                if (first != null) {
                    in.problem(line, path, "set twice (first on line " + first + "); keep one");
                    continue;
                }
                Key<?> key = ConfigKeys.byName(path);
                if (key != null) {
                    lines.put(key, line);
                    if (!ConfigReader.isNull(value)) {
                        nodes.put(key, value);
                    }
                } else if (sections.contains(path)) {
                    sectionLines.putIfAbsent(path, line);
                    if (value instanceof MappingNode) {
                        walk((MappingNode) value, path);
                    } else if (!ConfigReader.isNull(value)) {
                        in.problem(value, path, "expected a section with keys " + childrenOf(path) + ", got " + ConfigReader.kind(value));
                    }
                } else if (ConfigKeys.moved(path) != null) {
                    in.problem(line, path, ConfigKeys.moved(path));
                } else {
                    String hint = ConfigReader.suggest(path, known);
                    in.problem(line, path, "unknown key" + (hint == null ? "" : "; did you mean `" + hint + "`?"));
                }
            }
        }

        private String childrenOf(String section) {
            Set<String> children = new LinkedHashSet<>();
            for (String k : known) {
                if (k.startsWith(section + ".")) {
                    String rest = k.substring(section.length() + 1);
                    int dot = rest.indexOf('.');
                    children.add(dot < 0 ? rest : rest.substring(0, dot));
                }
            }
            return String.join(", ", children);
        }

        private <T> void read(Key<T> key) {
            Node node = nodes.get(key);
            if (node != null) {
                T value = key.read(node, key.name(), in);
                if (value == null) {
                    invalid.add(key);
                } else {
                    values.put(key, value);
                }
                return;
            }
            if (key.readsDefault()) {
                // A default path is resolved and checked like a written one: a missing maps folder is
                // a problem whether or not the file names it.
                int before = in.problems().size();
                ScalarNode text = new ScalarNode(org.snakeyaml.engine.v2.nodes.Tag.STR, key.defaultText(), ScalarStyle.PLAIN);
                T value = key.read(text, key.name(), in);
                for (int i = before; i < in.problems().size(); i++) {
                    ConfigProblem p = in.problems().get(i);
                    in.problems().set(i, new ConfigProblem(p.file(), lineFor(key), p.key(),
                            p.message() + " (the default; set " + key.name() + " to another folder)"));
                }
                if (value != null) {
                    values.put(key, value);
                } else {
                    invalid.add(key);
                }
                return;
            }
            if (key.required() && !lines.containsKey(key)) {
                in.problem(lineFor(key), key.name(), "missing (required), e.g. `" + key.name() + ": " + key.example() + "`");
                invalid.add(key);
            } else if (key.required()) {
                in.problem(lineFor(key), key.name(), "is empty (required), e.g. `" + key.name() + ": " + key.example() + "`");
                invalid.add(key);
            }
        }

        /** Where a key that is not in the file belongs: its nearest section that is, else line 1. */
        private int lineFor(Key<?> key) {
            Integer own = lines.get(key);
            if (own != null) {
                return own;
            }
            String name = key.name();
            for (int dot = name.lastIndexOf('.'); dot > 0; dot = name.lastIndexOf('.', dot - 1)) {
                Integer line = sectionLines.get(name.substring(0, dot));
                if (line != null) {
                    return line;
                }
            }
            return 1;
        }

        private boolean has(Key<?> key) {
            return values.containsKey(key);
        }

        private void deriveDefaults() {
            for (ConfigKeys.SystemKeys k : List.of(ConfigKeys.FO, ConfigKeys.DATAVERSE)) {
                if (!has(k.authority) && has(k.tenant)) {
                    values.put(k.authority, URI.create("https://login.microsoftonline.com/" + values.get(k.tenant) + "/"));
                }
                if (has(k.authority)) {
                    URI a = (URI) values.get(k.authority);
                    if (!a.toString().endsWith("/")) {
                        values.put(k.authority, URI.create(a + "/"));
                    }
                }
                if (has(k.baseUrl)) {
                    URI base = (URI) values.get(k.baseUrl);
                    String text = base.toString();
                    while (text.endsWith("/")) {
                        text = text.substring(0, text.length() - 1);
                    }
                    values.put(k.baseUrl, URI.create(text));
                    if (!has(k.scope) && !invalid.contains(k.scope)) {
                        values.put(k.scope, base.getScheme() + "://" + base.getRawAuthority() + "/.default");
                    }
                }
            }
        }

        private void checkTogether() {
            for (ConfigKeys.SystemKeys k : List.of(ConfigKeys.FO, ConfigKeys.DATAVERSE)) {
                checkCredentials(k);
            }
            for (ConfigKeys.AuthKeys k : List.of(ConfigKeys.DATAVERSE_WEBHOOK_AUTH, ConfigKeys.FO_WEBHOOK_AUTH,
                    ConfigKeys.EVENTS_AUTH, ConfigKeys.ADMIN_AUTH)) {
                checkAuth(k);
            }
            Key<Duration> initial = ConfigKeys.APPLY_RETRY_INITIAL_BACKOFF;
            Key<Duration> max = ConfigKeys.APPLY_RETRY_MAX_BACKOFF;
            if (!invalid.contains(initial) && !invalid.contains(max)
                    && value(initial).compareTo(value(max)) > 0) {
                Key<Duration> at = lines.containsKey(initial) ? initial : max;
                in.problem(lineFor(at), at.name(), "apply.retry.initialBackoff (" + Durations.format(value(initial))
                        + ") is longer than apply.retry.maxBackoff (" + Durations.format(value(max)) + ")");
            }
        }

        @SuppressWarnings("unchecked")
        private <T> T value(Key<T> key) {
            Object v = values.get(key);
            return v != null ? (T) v : key.defaultValue().orElse(null);
        }

        private void checkCredentials(ConfigKeys.SystemKeys k) {
            if (invalid.contains(k.clientSecret) || invalid.contains(k.certificateKey) || invalid.contains(k.certificateCert)) {
                return;
            }
            boolean secret = has(k.clientSecret);
            boolean key = has(k.certificateKey);
            boolean cert = has(k.certificateCert);
            String p = k.prefix;
            if (secret && (key || cert)) {
                in.problem(lineFor(k.clientSecret), p + ".clientSecret",
                        "set either " + p + ".clientSecret or " + p + ".certificate, not both");
            } else if (key && !cert) {
                in.problem(lineFor(k.certificateKey), p + ".certificate.cert",
                        "missing: a certificate needs both key and cert (the PEM certificate file)");
            } else if (cert && !key) {
                in.problem(lineFor(k.certificateCert), p + ".certificate.key",
                        "missing: a certificate needs both key and cert (the PEM private key file)");
            } else if (!secret && !key) {
                in.problem(lineFor(k.clientSecret), p + ".clientSecret", "no credential: set " + p + ".clientSecret "
                        + "(e.g. `${" + p.toUpperCase(Locale.ROOT) + "_CLIENT_SECRET}`) or " + p + ".certificate.key and "
                        + p + ".certificate.cert");
            }
        }

        private void checkAuth(ConfigKeys.AuthKeys k) {
            if (invalid.contains(k.type)) {
                return;
            }
            InboundAuth.Type type = value(k.type);
            String p = k.prefix;
            switch (type) {
                case NONE:
                    if (lines.containsKey(k.value) || lines.containsKey(k.name)) {
                        Key<?> at = lines.containsKey(k.value) ? k.value : k.name;
                        in.problem(lineFor(at), at.name(), "is set but " + p + ".type is none: set the type ("
                                + k.type.type() + ") or remove it");
                    }
                    break;
                case WEBHOOK_KEY:
                    if (lines.containsKey(k.name)) {
                        in.problem(lineFor(k.name), k.name.name(), "WebhookKey always uses the query parameter `code`: remove "
                                + k.name.name());
                    }
                    requireValue(k, type);
                    break;
                default:
                    if (!has(k.name) && !invalid.contains(k.name)) {
                        in.problem(lineFor(k.name), k.name.name(), "missing: " + type.word() + " needs the "
                                + (type == InboundAuth.Type.HTTP_HEADER ? "header" : "query parameter") + " name");
                    } else if (has(k.name) && !((String) values.get(k.name)).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                        in.problem(lineFor(k.name), k.name.name(), "`" + values.get(k.name)
                                + "` is not a valid " + (type == InboundAuth.Type.HTTP_HEADER ? "header" : "parameter")
                                + " name (letters, digits and -_.!#$%&'*+^`|~)");
                    }
                    requireValue(k, type);
            }
        }

        private void requireValue(ConfigKeys.AuthKeys k, InboundAuth.Type type) {
            if (!has(k.value) && !invalid.contains(k.value)) {
                in.problem(lineFor(k.value), k.value.name(), "missing: " + type.word() + " needs the expected value, e.g. `"
                        + k.value.example() + "`");
            }
        }
    }
}
