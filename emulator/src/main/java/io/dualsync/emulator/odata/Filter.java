package io.dualsync.emulator.odata;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * An OData {@code $filter} expression, parsed once and evaluated against rows. Written from the
 * OData v4 URL conventions as both services document them:
 * comparison {@code eq ne gt ge lt le}, logic {@code and or not}, parentheses, string literals in
 * single quotes (a quote doubled to escape it), numbers, {@code true false null}, guids, ISO dates,
 * {@code contains/startswith/endswith(field, 'x')}, {@code tolower/toupper}, and F&O enum literals
 * {@code Microsoft.Dynamics.DataEntities.NoYes'Yes'}.
 * (Dataverse: developer/data-platform/webapi/query/filter-rows.md; F&O: data-entities/odata.md.)
 */
public final class Filter {
    private final Node root;
    private final List<String> fields;

    private Filter(Node root, List<String> fields) {
        this.root = root;
        this.fields = fields;
    }

    /** @throws ODataException when the text is not a filter this emulator understands */
    public static Filter parse(String text) {
        Parser p = new Parser(text);
        Node n = p.or();
        p.skipSpace();
        if (p.pos < text.length()) {
            throw new ODataException("Syntax error at position " + p.pos + " in '" + text + "'.");
        }
        return new Filter(n, List.copyOf(p.fields));
    }

    /** The property names the filter reads, in order of appearance. */
    public List<String> fields() {
        return fields;
    }

    /** Evaluates against a row; {@code column} reads a property's value (null when absent). */
    public boolean test(Function<String, Object> column) {
        return Boolean.TRUE.equals(root.eval(column));
    }

    // ---- evaluation -----------------------------------------------------------------------------

    private interface Node {
        Object eval(Function<String, Object> column);
    }

    private record Literal(Object value) implements Node {
        public Object eval(Function<String, Object> c) {
            return value;
        }
    }

    private record Property(String name) implements Node {
        public Object eval(Function<String, Object> c) {
            return c.apply(name);
        }
    }

    private record Not(Node inner) implements Node {
        public Object eval(Function<String, Object> c) {
            return !Boolean.TRUE.equals(inner.eval(c));
        }
    }

    private record Logic(boolean and, Node left, Node right) implements Node {
        public Object eval(Function<String, Object> c) {
            boolean l = Boolean.TRUE.equals(left.eval(c));
            if (and ? !l : l) {
                return l;
            }
            return Boolean.TRUE.equals(right.eval(c));
        }
    }

    private record Compare(String op, Node left, Node right) implements Node {
        public Object eval(Function<String, Object> c) {
            Object a = left.eval(c);
            Object b = right.eval(c);
            if (op.equals("eq")) {
                return equal(a, b);
            }
            if (op.equals("ne")) {
                return !equal(a, b);
            }
            Integer cmp = compare(a, b);
            if (cmp == null) {
                return false;
            }
            return switch (op) {
                case "gt" -> cmp > 0;
                case "ge" -> cmp >= 0;
                case "lt" -> cmp < 0;
                default -> cmp <= 0;
            };
        }
    }

    private record Call(String name, List<Node> args) implements Node {
        public Object eval(Function<String, Object> c) {
            Object a = args.get(0).eval(c);
            if (name.equals("tolower") || name.equals("toupper")) {
                if (a == null) {
                    return null;
                }
                return name.equals("tolower") ? a.toString().toLowerCase(Locale.ROOT) : a.toString().toUpperCase(Locale.ROOT);
            }
            Object b = args.get(1).eval(c);
            if (a == null || b == null) {
                return false;
            }
            String h = a.toString().toLowerCase(Locale.ROOT);
            String n = b.toString().toLowerCase(Locale.ROOT);
            return switch (name) {
                case "contains" -> h.contains(n);
                case "startswith" -> h.startsWith(n);
                default -> h.endsWith(n);
            };
        }
    }

    /** Equality as the services' default (case-insensitive) collation has it; numbers by value. */
    static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        Integer c = compare(a, b);
        return c != null && c == 0;
    }

    static Integer compare(Object a, Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof Number || b instanceof Number) {
            BigDecimal x = decimal(a);
            BigDecimal y = decimal(b);
            return x == null || y == null ? null : x.compareTo(y);
        }
        if (a instanceof Boolean || b instanceof Boolean) {
            return a.toString().equalsIgnoreCase(b.toString()) ? 0 : null;
        }
        return a.toString().compareToIgnoreCase(b.toString());
    }

    private static BigDecimal decimal(Object v) {
        try {
            return new BigDecimal(v.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ---- parsing --------------------------------------------------------------------------------

    private static final Set<String> COMPARISONS = Set.of("eq", "ne", "gt", "ge", "lt", "le");
    private static final Set<String> FUNCTIONS = Set.of("contains", "startswith", "endswith", "tolower", "toupper");

    private static final class Parser {
        final String s;
        int pos;
        final List<String> fields = new ArrayList<>();

        Parser(String s) {
            this.s = s;
        }

        Node or() {
            Node left = and();
            while (word("or")) {
                left = new Logic(false, left, and());
            }
            return left;
        }

        Node and() {
            Node left = not();
            while (word("and")) {
                left = new Logic(true, left, not());
            }
            return left;
        }

        Node not() {
            if (word("not")) {
                return new Not(not());
            }
            return comparison();
        }

        Node comparison() {
            Node left = primary();
            skipSpace();
            int save = pos;
            String op = identifier();
            if (op != null && COMPARISONS.contains(op)) {
                return new Compare(op, left, primary());
            }
            pos = save;
            return left;
        }

        Node primary() {
            skipSpace();
            if (pos >= s.length()) {
                throw error("an operand");
            }
            char c = s.charAt(pos);
            if (c == '(') {
                pos++;
                Node inner = or();
                expect(')');
                return inner;
            }
            if (c == '\'') {
                return new Literal(string());
            }
            java.util.regex.Matcher guid = java.util.regex.Pattern
                    .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}").matcher(s).region(pos, s.length());
            if (guid.lookingAt()) {
                pos = guid.end();
                return new Literal(s.substring(guid.start(), guid.end()).toLowerCase(Locale.ROOT));
            }
            java.util.regex.Matcher date = java.util.regex.Pattern
                    .compile("\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?").matcher(s).region(pos, s.length());
            if (date.lookingAt()) {
                pos = date.end();
                return new Literal(s.substring(date.start(), date.end()));
            }
            if (c == '-' || Character.isDigit(c)) {
                int start = pos;
                pos++;
                while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                    pos++;
                }
                // OData type suffixes (1.5M, 10L) are accepted and ignored.
                if (pos < s.length() && "MmLlDdFf".indexOf(s.charAt(pos)) >= 0) {
                    pos++;
                    return new Literal(new BigDecimal(s.substring(start, pos - 1)));
                }
                try {
                    return new Literal(new BigDecimal(s.substring(start, pos)));
                } catch (NumberFormatException e) {
                    throw new ODataException("Invalid number '" + s.substring(start, pos) + "' at position " + start + ".");
                }
            }
            String id = qualifiedIdentifier();
            if (id == null) {
                throw error("an operand");
            }
            if (pos < s.length() && s.charAt(pos) == '\'') {
                // Enum literal: Namespace.EnumType'Symbol' (F&O: Microsoft.Dynamics.DataEntities.NoYes'Yes').
                return new Literal(string());
            }
            switch (id) {
                case "true":
                    return new Literal(Boolean.TRUE);
                case "false":
                    return new Literal(Boolean.FALSE);
                case "null":
                    return new Literal(null);
                default:
                    break;
            }
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '(' && FUNCTIONS.contains(id)) {
                pos++;
                List<Node> args = new ArrayList<>();
                args.add(or());
                skipSpace();
                while (pos < s.length() && s.charAt(pos) == ',') {
                    pos++;
                    args.add(or());
                    skipSpace();
                }
                expect(')');
                int wanted = id.startsWith("to") ? 1 : 2;
                if (args.size() != wanted) {
                    throw new ODataException("The function '" + id + "' takes " + wanted + " argument(s).");
                }
                return new Call(id, args);
            }
            if (id.contains(".")) {
                throw new ODataException("Unknown token '" + id + "' in $filter.");
            }
            fields.add(id);
            return new Property(id);
        }

        String string() {
            pos++;
            StringBuilder b = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '\'') {
                    if (pos + 1 < s.length() && s.charAt(pos + 1) == '\'') {
                        b.append('\'');
                        pos += 2;
                        continue;
                    }
                    pos++;
                    return b.toString();
                }
                b.append(c);
                pos++;
            }
            throw new ODataException("Unterminated string literal in $filter.");
        }

        String identifier() {
            skipSpace();
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '/')) {
                pos++;
            }
            return pos == start ? null : s.substring(start, pos);
        }

        String qualifiedIdentifier() {
            skipSpace();
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '.'
                    || s.charAt(pos) == '/')) {
                pos++;
            }
            return pos == start ? null : s.substring(start, pos);
        }

        boolean word(String w) {
            skipSpace();
            if (s.regionMatches(pos, w, 0, w.length())
                    && (pos + w.length() == s.length() || !Character.isLetterOrDigit(s.charAt(pos + w.length())))) {
                pos += w.length();
                return true;
            }
            return false;
        }

        void expect(char c) {
            skipSpace();
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw error("'" + c + "'");
            }
            pos++;
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        ODataException error(String expected) {
            return new ODataException("Syntax error: expected " + expected + " at position " + pos + " in '" + s + "'.");
        }
    }
}
