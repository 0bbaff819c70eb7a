package io.dualsync.emulator.fo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service document ({@code /data/}: "To see a list of all the entities that are exposed, open
 * the OData service root URL", odata.md) and a light {@code /data/$metadata} (CSDL with entity
 * types, keys, properties and enum types, which odata.md says $metadata carries). No navigation
 * properties, actions or annotations.
 */
final class FoMetadata {
    private FoMetadata() {
    }

    static FoResponse serviceDocument(EmulatorContext ctx, List<FoEntity> entities) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("@odata.context", ctx.baseUrl() + "/data/$metadata");
        ArrayNode value = root.putArray("value");
        for (FoEntity e : entities) {
            ObjectNode s = value.addObject();
            s.put("name", e.entitySet());
            s.put("kind", "EntitySet");
            s.put("url", e.entitySet());
        }
        return FoResponse.json(200, root.toString());
    }

    static FoResponse metadata(List<FoEntity> entities) {
        StringBuilder x = new StringBuilder();
        x.append("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
                .append("<edmx:Edmx Version=\"4.0\" xmlns:edmx=\"http://docs.oasis-open.org/odata/ns/edmx\">\n")
                .append("<edmx:DataServices>\n")
                .append("<Schema Namespace=\"").append(FoEntity.NAMESPACE).append("\" xmlns=\"http://docs.oasis-open.org/odata/ns/edm\">\n");
        Map<String, List<String>> enums = new LinkedHashMap<>();
        for (FoEntity e : entities) {
            String type = e.qualifiedType().substring(FoEntity.NAMESPACE.length() + 1);
            x.append("<EntityType Name=\"").append(type).append("\">\n<Key>\n");
            for (String k : e.key()) {
                x.append("<PropertyRef Name=\"").append(k).append("\"/>\n");
            }
            x.append("</Key>\n");
            for (FieldDef f : e.schema().fields().values()) {
                x.append("<Property Name=\"").append(f.name()).append("\" Type=\"").append(FoEntity.edmType(f))
                        .append("\" Nullable=\"false\"");
                if (f.maxLength() != null && f.type() == FieldType.STRING) {
                    x.append(" MaxLength=\"").append(f.maxLength()).append('"');
                }
                x.append("/>\n");
                if (f.type() == FieldType.ENUM) {
                    enums.putIfAbsent(f.enumName(), f.symbols());
                }
            }
            x.append("</EntityType>\n");
        }
        for (Map.Entry<String, List<String>> en : enums.entrySet()) {
            x.append("<EnumType Name=\"").append(en.getKey()).append("\">\n");
            for (int i = 0; i < en.getValue().size(); i++) {
                x.append("<Member Name=\"").append(en.getValue().get(i)).append("\" Value=\"").append(i).append("\"/>\n");
            }
            x.append("</EnumType>\n");
        }
        x.append("<EntityContainer Name=\"Resources\">\n");
        for (FoEntity e : entities) {
            x.append("<EntitySet Name=\"").append(e.entitySet()).append("\" EntityType=\"").append(e.qualifiedType()).append("\"/>\n");
        }
        x.append("</EntityContainer>\n</Schema>\n</edmx:DataServices>\n</edmx:Edmx>\n");
        return FoResponse.text("application/xml; charset=utf-8", x.toString());
    }
}
