package io.dualsync.mapping.dualwrite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON tree whose every value and property name keeps its character offsets in the text, so the
 * importer can point at the exact place of a problem. Built with Jackson's streaming parser.
 */
final class LocatedJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** A property of an object: its name, where the name is, and its value. */
    record Property(String name, int nameStart, int nameEnd, Node value) {
    }

    /**
     * A value: {@code value} is a {@code Map<String, Property>} (object), {@code List<Node>} (array),
     * String, Number, Boolean or null; {@code start}/{@code end} are character offsets.
     */
    record Node(Object value, int start, int end) {
        boolean isObject() {
            return value instanceof Map;
        }

        boolean isArray() {
            return value instanceof List;
        }

        @SuppressWarnings("unchecked")
        Map<String, Property> properties() {
            return value instanceof Map ? (Map<String, Property>) value : Map.of();
        }

        @SuppressWarnings("unchecked")
        List<Node> elements() {
            return value instanceof List ? (List<Node>) value : List.of();
        }

        Node get(String name) {
            Property p = properties().get(name);
            return p == null ? null : p.value();
        }

        /** Scalar text; null for JSON null, objects and arrays. */
        String text() {
            return value instanceof String || value instanceof Number || value instanceof Boolean ? value.toString() : null;
        }
    }

    private LocatedJson() {
    }

    static Node parse(String text) throws IOException {
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() == null) {
                throw new IOException("no JSON value");
            }
            Node root = read(p, text);
            if (p.nextToken() != null) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "text after the JSON value");
            }
            return root;
        }
    }

    private static Node read(JsonParser p, String text) throws IOException {
        JsonToken t = p.currentToken();
        int start = (int) p.currentTokenLocation().getCharOffset();
        Object value;
        switch (t) {
            case START_OBJECT -> {
                Map<String, Property> props = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    int nameStart = (int) p.currentTokenLocation().getCharOffset();
                    int nameEnd = quotedEnd(text, nameStart);
                    p.nextToken();
                    props.put(name, new Property(name, nameStart, nameEnd, read(p, text)));
                }
                value = props;
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, text));
                }
                value = items;
            }
            case VALUE_STRING -> value = p.getText();
            case VALUE_NUMBER_INT -> value = p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> value = p.getDecimalValue();
            case VALUE_TRUE -> value = Boolean.TRUE;
            case VALUE_FALSE -> value = Boolean.FALSE;
            case VALUE_NULL -> value = null;
            default -> throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected " + t);
        }
        int end = value instanceof String ? quotedEnd(text, start) : (int) p.currentLocation().getCharOffset();
        return new Node(value, start, Math.max(start + 1, end));
    }

    /** The offset just after the string literal that starts (with its quote) at {@code start}. */
    private static int quotedEnd(String text, int start) {
        int i = start + 1;
        while (i < text.length() && text.charAt(i) != '"') {
            i += text.charAt(i) == '\\' ? 2 : 1;
        }
        return Math.min(text.length(), i + 1);
    }
}
