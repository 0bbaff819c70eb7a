package io.dualsync.connector.http;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * How values are written into OData URLs: key predicates ({@code accountnumber='O''Brien'}) and
 * query values. Pure functions.
 */
public final class ODataText {
    private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private ODataText() {
    }

    /**
     * A value as an OData literal: text in single quotes with quotes doubled, numbers and booleans
     * bare, {@link UUID}s bare (a guid written as a Java string is text: use {@link #guid} for those).
     */
    public static String literal(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof UUID) {
            return value.toString();
        }
        return "'" + value.toString().replace("'", "''") + "'";
    }

    /** A guid literal (bare); rejects text that is not a guid so it cannot break the URL. */
    public static String guid(Object value) {
        String s = String.valueOf(value);
        if (!isGuid(s)) {
            throw new IllegalArgumentException("`" + s + "` is not a guid");
        }
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    public static boolean isGuid(String s) {
        return s != null && GUID.matcher(s).matches();
    }

    /**
     * Percent-encodes a path segment (RFC 3986): unreserved characters and the sub-delimiters OData
     * key predicates use ({@code ' ( ) = , : @}) stay, everything else (space, {@code / ? # %}, non-ASCII)
     * is encoded as UTF-8 bytes.
     */
    public static String encodePath(String s) {
        return encode(s, "-._~'()=,:@!$*+;");
    }

    /** Percent-encodes a query parameter value ({@code & = + #} and the like are encoded). */
    public static String encodeQuery(String s) {
        return encode(s, "-._~'(),:@!$*;/?");
    }

    private static String encode(String s, String keep) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean plain = c < 128 && (Character.isLetterOrDigit(c) || keep.indexOf(c) >= 0);
            if (plain) {
                if (b != null) {
                    b.append(c);
                }
                continue;
            }
            if (b == null) {
                b = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            int end = Character.isHighSurrogate(c) && i + 1 < s.length() ? i + 2 : i + 1;
            for (byte x : s.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                b.append('%').append(HEX[(x >> 4) & 0xF]).append(HEX[x & 0xF]);
            }
            i = end - 1;
        }
        return b == null ? s : b.toString();
    }
}
