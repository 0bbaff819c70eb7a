package io.dualsync.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Durations as configuration files write them: ISO-8601 ({@code PT30S}, {@code P7D}) or {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 7d}. */
final class Durations {
    private Durations() {
    }

    static Duration parse(String text) throws InvalidValue {
        String t = text.trim();
        if (t.isEmpty()) {
            throw new InvalidValue("expected a duration like 500ms, 30s, 10m or PT30S, got nothing");
        }
        if (t.charAt(0) == 'P' || t.charAt(0) == 'p') {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new InvalidValue("`" + text + "` is not an ISO-8601 duration (PT0.5S, PT30S, PT10M, P7D)");
            }
        }
        int unitStart = 0;
        while (unitStart < t.length() && (Character.isDigit(t.charAt(unitStart)) || t.charAt(unitStart) == '.')) {
            unitStart++;
        }
        String number = t.substring(0, unitStart);
        String unit = t.substring(unitStart).trim().toLowerCase(Locale.ROOT);
        if (number.isEmpty()) {
            throw new InvalidValue("expected a duration like 500ms, 30s, 10m or PT30S, got `" + text + "`");
        }
        long nanosPerUnit;
        switch (unit) {
            case "ms": nanosPerUnit = 1_000_000L; break;
            case "s": nanosPerUnit = 1_000_000_000L; break;
            case "m": nanosPerUnit = 60_000_000_000L; break;
            case "h": nanosPerUnit = 3_600_000_000_000L; break;
            case "d": nanosPerUnit = 86_400_000_000_000L; break;
            case "":
                throw new InvalidValue("`" + text + "` has no unit: write " + number + "ms, " + number + "s or " + number + "m");
            default:
                throw new InvalidValue("`" + text + "`: unknown unit `" + unit + "` (use ms, s, m, h or d, or ISO-8601 like PT30S)");
        }
        try {
            BigDecimal nanos = new BigDecimal(number).multiply(BigDecimal.valueOf(nanosPerUnit));
            return Duration.ofNanos(nanos.longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new InvalidValue("`" + text + "` is not a duration this engine can hold");
        }
    }

    /** The shortest exact form: {@code 200ms}, {@code 30s}, {@code 10m}, {@code 7d}; ISO-8601 otherwise. */
    static String format(Duration d) {
        long nanos;
        try {
            nanos = d.toNanos();
        } catch (ArithmeticException e) {
            return d.toString();
        }
        if (nanos == 0) {
            return "0s";
        }
        long[] sizes = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < sizes.length; i++) {
            if (nanos % sizes[i] == 0) {
                return (nanos / sizes[i]) + units[i];
            }
        }
        return d.toString();
    }
}
