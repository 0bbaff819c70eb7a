package io.dualsync.mapping;

import io.dualsync.mapping.expr.ValueFn;
import io.dualsync.mapping.expr.Values;
import io.dualsync.mapping.schema.FieldType;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Converts values to a field type on the way to the target: JSON-like values in, the form the
 * target's API expects out (integers as {@code Long}, decimals as {@code BigDecimal}, dates as
 * ISO text). Null passes through. A value that cannot be converted is a {@link MappingException}.
 */
final class Coercion {
    private static final Pattern MS_DATE = Pattern.compile("/Date\\((-?\\d+)([+-]\\d{4})?\\)/");

    private Coercion() {
    }

    /** The conversion to {@code type}, or null when values pass unchanged. */
    static ValueFn to(FieldType type) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case STRING, ENUM -> (r, v) -> v == null || v instanceof String ? v : text(v);
            case INTEGER, CHOICE -> (r, v) -> v == null ? null : integer(v, type);
            case DECIMAL -> (r, v) -> v == null || v instanceof BigDecimal ? v : decimal(v);
            case BOOLEAN -> (r, v) -> v == null || v instanceof Boolean ? v : bool(v);
            case DATE -> (r, v) -> v == null ? null : date(v);
            case DATETIME -> (r, v) -> v == null ? null : dateTime(v);
            case GUID -> (r, v) -> v == null ? null : guid(v);
            case LOOKUP -> null;
        };
    }

    /**
     * Converts a value to {@code type}: the same as {@code to(type).apply(..)}, written as one switch
     * with the common case (the value already has the type) first, for the per-field hot path.
     */
    static Object apply(FieldType type, Object v) {
        if (v == null) {
            return null;
        }
        switch (type) {
            case STRING:
            case ENUM:
                return v instanceof String ? v : text(v);
            case INTEGER:
            case CHOICE:
                return v instanceof Long ? v : integer(v, type);
            case DECIMAL:
                return v instanceof BigDecimal ? v : decimal(v);
            case BOOLEAN:
                return v instanceof Boolean ? v : bool(v);
            case DATE:
                return date(v);
            case DATETIME:
                return dateTime(v);
            case GUID:
                return guid(v);
            default:
                return v;
        }
    }

    /** Converts one literal (a default, a value-map entry) now, for the checker. */
    static Object convert(Object v, FieldType type) {
        ValueFn f = to(type);
        return f == null ? v : f.apply(java.util.Map.of(), v);
    }

    private static String text(Object v) {
        return v instanceof BigDecimal d ? d.toPlainString() : v.toString();
    }

    private static Long integer(Object v, FieldType type) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue(); // what the BigDecimal round trip below gives, without it
        }
        try {
            BigDecimal d = v instanceof Number n ? Values.decimal(n) : new BigDecimal(v.toString().trim());
            return d.longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw fail(v, type == FieldType.CHOICE ? "a choice value (a whole number)" : "a whole number");
        }
    }

    private static BigDecimal decimal(Object v) {
        if (v instanceof Double d) {
            return decimal(d.doubleValue());
        }
        if (v instanceof Number n) {
            return Values.decimal(n);
        }
        BigDecimal d = v instanceof String s ? Values.parseDecimal(s) : null;
        if (d == null) {
            throw fail(v, "a number");
        }
        return d;
    }

    /** Powers of ten exactly representable as doubles (up to 10^22). */
    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    /**
     * {@code new BigDecimal(Double.toString(d))} (what {@link Values#decimal} does), without the slow
     * {@code Double.toString} for the common case: a double parsed from short decimal text, in the
     * range where {@code Double.toString} writes plain notation (1e-3 to 1e7). There the result is
     * the shortest decimal that reads back as {@code d}, with at least one fraction digit: find the
     * smallest scale {@code s >= 1} at which {@code m = round(|d| * 10^s)} reads back as {@code |d|}
     * ({@code m < 2^53} and {@code 10^s} are exact doubles, so {@code m / 10^s} is correctly
     * rounded and the check is exact). Anything else takes the original path.
     */
    static BigDecimal decimal(double d) {
        double a = Math.abs(d);
        if (a >= 1e-3 && a < 1e7) {
            for (int s = 1; s < POW10.length; s++) {
                double scaled = a * POW10[s];
                if (scaled >= 0x1p53) {
                    break;
                }
                long m = (long) Math.rint(scaled);
                if ((double) m / POW10[s] == a) {
                    return BigDecimal.valueOf(d < 0 ? -m : m, s);
                }
            }
        }
        return new BigDecimal(Double.toString(d));
    }

    private static Boolean bool(Object v) {
        String s = v.toString().trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "true", "yes", "1" -> {
                return Boolean.TRUE;
            }
            case "false", "no", "0" -> {
                return Boolean.FALSE;
            }
            default -> throw fail(v, "true or false");
        }
    }

    private static String date(Object v) {
        String s = msDate(v.toString());
        try {
            if (s.length() > 10) {
                return OffsetDateTime.parse(s).toLocalDate().toString();
            }
            return LocalDate.parse(s).toString();
        } catch (DateTimeParseException e) {
            throw fail(v, "a date (yyyy-MM-dd)");
        }
    }

    private static String dateTime(Object v) {
        String s = msDate(v.toString());
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay().atOffset(ZoneOffset.UTC).toString();
            }
            return OffsetDateTime.parse(s).withOffsetSameInstant(ZoneOffset.UTC).toString();
        } catch (DateTimeParseException e) {
            throw fail(v, "an ISO 8601 date-time");
        }
    }

    /** Dataverse webhooks send dates as {@code /Date(1587397230000)/}. */
    private static String msDate(String s) {
        var m = MS_DATE.matcher(s);
        if (m.matches()) {
            return java.time.Instant.ofEpochMilli(Long.parseLong(m.group(1))).atOffset(ZoneOffset.UTC).toString();
        }
        return s;
    }

    private static String guid(Object v) {
        try {
            return UUID.fromString(v.toString().trim()).toString();
        } catch (IllegalArgumentException e) {
            throw fail(v, "a guid");
        }
    }

    private static MappingException fail(Object v, String wanted) {
        return new MappingException(null, Values.show(v) + " is not " + wanted);
    }
}
