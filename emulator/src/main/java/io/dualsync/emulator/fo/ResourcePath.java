package io.dualsync.emulator.fo;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resource part of an F&O OData URL below {@code /data/} (odata.md, "Addressing"):
 * {@code CustomersV3}, {@code CustomersV3/$count}, {@code CustomersV3(dataAreaId='usmf',CustomerAccount='US-001')}
 * and {@code .../CustomerGroupId}. Key values are parsed from OData literals: strings in single
 * quotes (a quote doubled), numbers, booleans, guids, dates and enum literals
 * {@code Microsoft.Dynamics.DataEntities.NoYes'Yes'} (their symbol).
 *
 * @param keys     the key predicate's parts in order, or null when the URL addresses the collection
 * @param property a property below the entity, or null
 * @param count    the path ends in {@code /$count}
 */
record ResourcePath(String entitySet, List<KeyPart> keys, String property, boolean count) {

    /** One part of a key predicate; {@code name} is null for the short form {@code LegalEntities('usmf')}. */
    record KeyPart(String name, Object value) {
    }

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?[MmLlDdFf]?");
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern ENUM = Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)'((?:[^']|'')*)'");

    static ResourcePath parse(String path) {
        int paren = path.indexOf('(');
        int slash = path.indexOf('/');
        if (paren < 0 || (slash >= 0 && slash < paren)) {
            String set = slash < 0 ? path : path.substring(0, slash);
            String rest = slash < 0 ? "" : path.substring(slash + 1);
            if (rest.isEmpty()) {
                return new ResourcePath(set, null, null, false);
            }
            if (rest.equals("$count")) {
                return new ResourcePath(set, null, null, true);
            }
            throw FoError.notFound("Resource not found for the segment '" + rest + "'.");
        }
        String set = path.substring(0, paren);
        int close = closing(path, paren);
        List<KeyPart> keys = keyParts(path.substring(paren + 1, close));
        String rest = path.substring(close + 1);
        if (rest.isEmpty()) {
            return new ResourcePath(set, keys, null, false);
        }
        if (!rest.startsWith("/") || rest.length() == 1) {
            throw FoError.badRequest("Bad Request - Error in query syntax.");
        }
        String property = rest.substring(1);
        if (property.endsWith("/$value")) {
            property = property.substring(0, property.length() - "/$value".length());
        }
        if (property.contains("/")) {
            throw FoError.notFound("Resource not found for the segment '" + property + "'.");
        }
        return new ResourcePath(set, keys, property, false);
    }

    /** The index of the parenthesis closing the one at {@code open}, skipping quoted text. */
    private static int closing(String s, int open) {
        boolean quoted = false;
        for (int i = open + 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                quoted = !quoted; // a doubled quote toggles twice
            } else if (c == ')' && !quoted) {
                return i;
            }
        }
        throw FoError.badRequest("Bad Request - Error in query syntax: unterminated key predicate.");
    }

    private static List<KeyPart> keyParts(String text) {
        List<KeyPart> parts = new ArrayList<>();
        if (text.isBlank()) {
            return parts;
        }
        for (String item : splitTopLevel(text)) {
            String name = null;
            String literal = item.trim();
            int eq = equalsOutsideQuotes(literal);
            if (eq >= 0) {
                name = literal.substring(0, eq).trim();
                literal = literal.substring(eq + 1).trim();
            }
            parts.add(new KeyPart(name, literal(literal)));
        }
        return parts;
    }

    private static List<String> splitTopLevel(String text) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                out.add(text.substring(start, i));
                start = i + 1;
            }
        }
        out.add(text.substring(start));
        return out;
    }

    private static int equalsOutsideQuotes(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'') {
                return -1;
            }
            if (c == '=') {
                return i;
            }
        }
        return -1;
    }

    /** An OData literal as a value the store compares: String, BigDecimal, Boolean or null. */
    static Object literal(String s) {
        if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
            return s.substring(1, s.length() - 1).replace("''", "'");
        }
        Matcher e = ENUM.matcher(s);
        if (e.matches()) {
            return e.group(2).replace("''", "'");
        }
        if (GUID.matcher(s).matches()) {
            return s.toLowerCase(java.util.Locale.ROOT);
        }
        if (NUMBER.matcher(s).matches()) {
            String digits = Character.isLetter(s.charAt(s.length() - 1)) ? s.substring(0, s.length() - 1) : s;
            return new BigDecimal(digits);
        }
        if (s.equals("true") || s.equals("false")) {
            return Boolean.valueOf(s);
        }
        if (s.equals("null")) {
            return null;
        }
        if (s.matches("\\d{4}-\\d{2}-\\d{2}.*")) {
            return s;
        }
        throw FoError.badRequest("Unrecognized key literal '" + s + "' in the key predicate.");
    }
}
