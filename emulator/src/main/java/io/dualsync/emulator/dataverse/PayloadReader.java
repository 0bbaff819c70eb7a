package io.dualsync.emulator.dataverse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;
import io.dualsync.mapping.schema.FieldType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns a create/update body into column values, checking each property against the schema the way
 * the service does: unknown properties, values of the wrong type, over-long text, choice values
 * outside their options, read-only columns, and lookups set with {@code <name>@odata.bind}
 * (create-entity-web-api.md "Associate table rows on create"; associate-disassociate-entities-using-web-api.md:
 * {@code "x@odata.bind": null} or {@code "x": null} disassociates). Lookup navigation properties are
 * matched by the lookup column's logical name ignoring case (the service's names are the schema
 * names, e.g. {@code msdyn_CustomerGroupId}, which the entity schemas do not carry).
 */
final class PayloadReader {
    /** Resolves an {@code @odata.bind} reference for a lookup column to the related row's id. */
    @FunctionalInterface
    interface BindResolver {
        String resolve(FieldDef lookup, String reference);
    }

    static final DateTimeFormatter UTC_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private PayloadReader() {
    }

    /**
     * The columns the body writes (a null value clears a column). The primary id is accepted on create
     * (the service lets a caller choose it) and ignored on update when it names the same row.
     */
    static Map<String, Object> read(EntitySchema schema, ObjectNode body, boolean create, String existingId, BindResolver binds) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            int at = name.indexOf('@');
            if (at >= 0) {
                if (name.endsWith("@odata.bind") && at > 0) {
                    FieldDef lookup = lookupByNavigation(schema, name.substring(0, at));
                    if (v.isNull()) {
                        out.put(lookup.name(), null);
                    } else if (v.isTextual()) {
                        out.put(lookup.name(), binds.resolve(lookup, v.asText()));
                    } else {
                        throw DataverseError.payload(schema, "The value of '" + name + "' must be a URL text or null.");
                    }
                }
                // Other instance annotations (@odata.etag, @odata.context, x@OData.Community...) are ignored.
                continue;
            }
            FieldDef f = schema.field(name);
            if (f == null) {
                FieldDef nav = navigationOrNull(schema, name);
                if (nav != null && v.isNull()) {
                    out.put(nav.name(), null);
                    continue;
                }
                if (nav != null) {
                    throw DataverseError.payload(schema, "Deep insert through '" + name + "' is not supported by the emulator; "
                            + "use '" + name + "@odata.bind'.");
                }
                throw DataverseError.invalidBodyProperty(schema, name);
            }
            if (f.type() == FieldType.LOOKUP) {
                if (v.isNull()) {
                    out.put(f.name(), null);
                    continue;
                }
                throw DataverseError.payload(schema, "Deep insert through '" + name + "' is not supported by the emulator; "
                        + "use '" + name + "@odata.bind'.");
            }
            if (f.name().equals(schema.primaryId())) {
                String id = v.isTextual() && ResourcePath.isGuid(v.asText()) ? v.asText().toLowerCase(Locale.ROOT) : null;
                if (id == null) {
                    throw DataverseError.cannotConvert(schema, v.isTextual() ? v.asText() : v.toString(), "Edm.Guid");
                }
                if (create) {
                    out.put(f.name(), id);
                } else if (!id.equals(existingId)) {
                    throw DataverseError.readOnly(schema, f.name());
                }
                continue;
            }
            if (f.readOnly()) {
                throw DataverseError.readOnly(schema, f.name());
            }
            out.put(f.name(), convert(schema, f, v));
        }
        return out;
    }

    /** A lookup column named by a navigation property (its logical name, any case), or an error as the service gives it. */
    static FieldDef lookupByNavigation(EntitySchema schema, String nav) {
        FieldDef f = navigationOrNull(schema, nav);
        if (f == null) {
            throw DataverseError.undeclaredNavigation(schema, nav);
        }
        return f;
    }

    static FieldDef navigationOrNull(EntitySchema schema, String nav) {
        for (FieldDef f : schema.fields().values()) {
            if (f.type() == FieldType.LOOKUP && f.name().equalsIgnoreCase(nav)) {
                return f;
            }
        }
        return null;
    }

    /** A JSON value as the stored value of a non-lookup column (see the storage conventions). */
    static Object convert(EntitySchema schema, FieldDef f, JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        switch (f.type()) {
            case STRING:
            case ENUM:
                if (!v.isTextual()) {
                    throw DataverseError.cannotConvert(schema, literal(v), "Edm.String");
                }
                if (f.maxLength() != null && v.asText().length() > f.maxLength()) {
                    throw DataverseError.tooLong(schema, f.name(), f.maxLength());
                }
                return v.asText();
            case INTEGER: {
                Long n = integral(v);
                if (n == null || n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
                    throw DataverseError.cannotConvert(schema, literal(v), "Edm.Int32");
                }
                return n;
            }
            case DECIMAL:
                if (!v.isNumber()) {
                    throw DataverseError.cannotConvert(schema, literal(v), "Edm.Decimal");
                }
                return v.decimalValue();
            case BOOLEAN:
                if (!v.isBoolean()) {
                    throw DataverseError.cannotConvert(schema, literal(v), "Edm.Boolean");
                }
                return v.booleanValue();
            case DATE:
                try {
                    return LocalDate.parse(v.asText()).toString();
                } catch (DateTimeParseException e) {
                    throw DataverseError.cannotConvert(schema, literal(v), "Edm.Date");
                }
            case DATETIME:
                try {
                    return utc(OffsetDateTime.parse(v.asText()));
                } catch (DateTimeParseException e) {
                    throw DataverseError.cannotConvert(schema, literal(v), "Edm.DateTimeOffset");
                }
            case GUID:
                if (!v.isTextual() || !ResourcePath.isGuid(v.asText())) {
                    throw DataverseError.cannotConvert(schema, literal(v), "Edm.Guid");
                }
                return v.asText().toLowerCase(Locale.ROOT);
            case CHOICE: {
                Long n = integral(v);
                if (n == null) {
                    throw DataverseError.cannotConvert(schema, literal(v), "Edm.Int32");
                }
                if (!f.options().isEmpty() && !f.options().containsValue(n.intValue())) {
                    throw DataverseError.outsideRange(schema, f.name(), n, f.options().values().stream()
                            .map(String::valueOf).collect(Collectors.joining(",")));
                }
                return n;
            }
            default:
                throw DataverseError.invalidBodyProperty(schema, f.name());
        }
    }

    /**
     * A JSON value as error messages quote it; made only when a value is refused, since writing a
     * number node back to text goes through the object mapper.
     */
    private static String literal(JsonNode v) {
        return v.isTextual() ? v.asText() : v.toString();
    }

    private static Long integral(JsonNode v) {
        if (!v.isNumber()) {
            return null;
        }
        BigDecimal d = v.decimalValue();
        try {
            return d.stripTrailingZeros().scale() <= 0 ? d.longValueExact() : null;
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** The current second as {@link #utc} writes it, remembered: every write stamps modifiedon. */
    private record Second(long epochSecond, String text) {
    }

    private static volatile Second current = new Second(Long.MIN_VALUE, "");

    /** Now as the service returns date and time (see {@link #utc}), formatted once per second. */
    static String utcNow() {
        long now = Instant.now().getEpochSecond();
        Second c = current;
        if (c.epochSecond() != now) {
            c = new Second(now, utc(OffsetDateTime.ofInstant(Instant.ofEpochSecond(now), ZoneOffset.UTC)));
            current = c;
        }
        return c.text();
    }

    /** Date and time as the service returns it: UTC, whole seconds, {@code Z}. */
    static String utc(OffsetDateTime t) {
        return t.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(UTC_SECONDS);
    }
}
