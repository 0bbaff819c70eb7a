package io.dualsync.mapping;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of compiled maps printed by {@code dualsync check --json}; its format is
 * documented in docs/mapping-language.md ("JSON form").
 */
public final class MapJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MapJson() {
    }

    public static String write(List<CompiledMap> maps) {
        try {
            return JSON.writeValueAsString(tree(maps));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode tree(List<CompiledMap> maps) {
        ObjectNode root = NODES.objectNode();
        ArrayNode array = root.putArray("maps");
        for (CompiledMap m : maps) {
            array.add(map(m));
        }
        return root;
    }

    public static ObjectNode map(CompiledMap m) {
        ObjectNode o = NODES.objectNode();
        o.put("name", m.name());
        o.put("file", m.span().file().path());
        o.put("line", m.span().line());
        ObjectNode fo = o.putObject("fo");
        fo.put("entity", m.foEntity());
        strings(fo.putArray("key"), m.foKey());
        ObjectNode dv = o.putObject("dataverse");
        dv.put("table", m.dataverseTable());
        strings(dv.putArray("key"), m.dataverseKey());
        if (m.company() == null) {
            o.putNull("company");
        } else {
            ObjectNode c = o.putObject("company");
            c.put("fo", m.company().foField());
            c.put("dataverse", m.company().dataverseField());
        }
        ObjectNode filters = o.putObject("filters");
        filters.put("fo", m.filter(Direction.FO_TO_DATAVERSE));
        filters.put("dataverse", m.filter(Direction.DATAVERSE_TO_FO));
        o.set("conflict", policy(m.conflict()));
        ArrayNode events = o.putArray("events");
        for (BusinessEventBinding e : m.events()) {
            ObjectNode event = events.addObject();
            event.put("id", e.id());
            ObjectNode key = event.putObject("key");
            e.keyFields().forEach(key::put);
        }
        ArrayNode fields = o.putArray("fields");
        for (FieldMapping f : m.fields()) {
            fields.add(field(f));
        }
        return o;
    }

    private static ObjectNode field(FieldMapping f) {
        ObjectNode o = NODES.objectNode();
        o.put("fo", f.foField());
        o.put("dataverse", f.dataverseField());
        o.put("direction", f.direction().word());
        if (f.valueMap().isEmpty()) {
            o.putNull("valueMap");
        } else {
            ArrayNode vm = o.putArray("valueMap");
            for (FieldMapping.ValuePair p : f.valueMap()) {
                ObjectNode pair = vm.addObject();
                value(pair, "fo", p.fo());
                value(pair, "dataverse", p.dataverse());
            }
        }
        if (f.defaults().isEmpty()) {
            o.putNull("default");
        } else {
            ObjectNode d = o.putObject("default");
            for (Map.Entry<Direction, Object> e : f.defaults().entrySet()) {
                value(d, e.getKey().word(), e.getValue());
            }
        }
        ObjectNode t = o.putObject("transforms");
        for (Direction d : Direction.values()) {
            if (f.flows(d)) {
                strings(t.putArray(d.word()), f.transforms().getOrDefault(d, List.of()));
            }
        }
        o.put("type", f.type());
        if (f.conflict() == null) {
            o.putNull("conflict");
        } else {
            o.set("conflict", policy(f.conflict()));
        }
        return o;
    }

    private static ObjectNode policy(ConflictPolicy p) {
        ObjectNode o = NODES.objectNode();
        o.put("policy", p.kind().word());
        o.put("tieBreak", p.tieBreak() == null ? null : p.tieBreak().word());
        return o;
    }

    private static void value(ObjectNode o, String name, Object v) {
        if (v == null) {
            o.putNull(name);
        } else if (v instanceof BigDecimal d) {
            o.put(name, d);
        } else if (v instanceof Long l) {
            o.put(name, l);
        } else if (v instanceof Integer i) {
            o.put(name, i);
        } else if (v instanceof Boolean b) {
            o.put(name, b);
        } else {
            o.put(name, v.toString());
        }
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }
}
