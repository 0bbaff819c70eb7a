package io.dualsync.ingest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading request bodies: JSON with its error locations, and the value formats the sources use. Stateless. */
final class Jsons {
    /** WCF DataContract dates, {@code /Date(1506384247000)/} or {@code /Date(1506409448000-0700)/}; the milliseconds are UTC. */
    private static final Pattern MS_DATE = Pattern.compile("/Date\\((-?\\d+)([+-]\\d{4})?\\)/");

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            // 1000.50 stays 1000.50: values are compared and fingerprinted downstream
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    private Jsons() {
    }

    /**
     * Parses a body; a syntax error becomes a 400 saying what and where ({@code line 3, column 17}).
     *
     * @throws IngestException when the body is empty or not JSON
     */
    static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw IngestException.malformed("the request body is empty: send a JSON document");
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node == null || node.isMissingNode()) {
                throw IngestException.malformed("the request body is empty: send a JSON document");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw IngestException.malformed("malformed JSON: " + e.getOriginalMessage() + where(e.getLocation()));
        } catch (IOException e) {
            throw IngestException.malformed("unreadable body: " + e.getMessage());
        }
    }

    private static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) {
            return "";
        }
        return " (at line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }

    /** A text member, or null when absent, null or not text. */
    static String text(JsonNode object, String name) {
        JsonNode v = object == null ? null : object.get(name);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    /** A member looked up ignoring case when the exact name is absent. */
    static JsonNode getIgnoreCase(JsonNode object, String name) {
        JsonNode exact = object.get(name);
        if (exact != null) {
            return exact;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** A JSON scalar as the journal keeps it: text, Long, BigDecimal, Boolean or null; other nodes as JSON text. */
    static Object scalar(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (v.isTextual()) {
            return v.textValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isIntegralNumber()) {
            return v.canConvertToLong() ? (Object) v.longValue() : new BigDecimal(v.bigIntegerValue());
        }
        if (v.isNumber()) {
            return v.decimalValue();
        }
        return v.toString();
    }

    /** {@code /Date(ms)/} as an instant, or null when the text is not one. */
    static Instant msDate(String s) {
        if (s == null) {
            return null;
        }
        Matcher m = MS_DATE.matcher(s);
        if (!m.matches()) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(m.group(1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A guid as the Web API writes it: lower case. */
    static String guid(String s) {
        return s == null ? null : s.trim().toLowerCase(Locale.ROOT);
    }
}
