package io.dualsync.emulator.dataverse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;

/** JSON reading and writing as the Web API does it: exact decimals, written plainly. Stateless, any thread. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private Json() {
    }

    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses a request body that must be a JSON object. */
    static ObjectNode readObject(String text) {
        if (text == null || text.isBlank()) {
            throw DataverseError.badRequest("The request body must be a JSON object.");
        }
        JsonNode n;
        try {
            n = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw DataverseError.badRequest("The request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (!(n instanceof ObjectNode o)) {
            throw DataverseError.badRequest("The request body must be a JSON object.");
        }
        return o;
    }

    /** Puts a stored column value (String, Long, BigDecimal, Boolean, null) into a JSON object. */
    static void put(ObjectNode o, String name, Object v) {
        if (v == null) {
            o.putNull(name);
        } else if (v instanceof Boolean b) {
            o.put(name, b);
        } else if (v instanceof BigDecimal d) {
            o.put(name, d);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            o.put(name, ((Number) v).longValue());
        } else if (v instanceof Number n) {
            o.put(name, new BigDecimal(n.toString()));
        } else {
            o.put(name, v.toString());
        }
    }
}
