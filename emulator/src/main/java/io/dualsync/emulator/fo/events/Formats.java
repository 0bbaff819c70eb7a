package io.dualsync.emulator.fo.events;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;

/** The .NET DataContract value formats F&O events use. Stateless. */
final class Formats {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Formats() {
    }

    /** {@code /Date(1570769681000)/}: WCF DataContract JSON dates, as in the business event sample. */
    static String dotNetDate(long epochMillis) {
        return "/Date(" + epochMillis + ")/";
    }

    /** {@code /Date(1506409448000+0000)/}: with the offset, as RemoteExecutionContext's OperationCreatedOn. */
    static String dotNetDateUtc(Instant t) {
        return "/Date(" + t.toEpochMilli() + "+0000)/";
    }

    /**
     * ISO 8601 UTC with seven fractional digits ({@code 2022-12-30T13:51:15.2942742Z}), as .NET's
     * round-trip format writes {@code EventTimeIso8601} in delivered business events.
     */
    static String iso7(Instant t) {
        return SECONDS.format(t) + '.' + String.format(Locale.ROOT, "%07d", t.getNano() / 100) + 'Z';
    }

    /** {@code 3C47A4CD-6EDC-4319-B893-3F862EED65FD}: .NET's Guid in upper case, without braces. */
    static String upperGuid(UUID id) {
        return id.toString().toUpperCase(Locale.ROOT);
    }

    /**
     * A stored date or date-time (ISO text) as epoch milliseconds, or null when empty. F&O's empty
     * date, 1900-01-01, counts as empty (power-platform/entity-modeling.md: "An empty date (January
     * 1, 1900) in Finance and Operations is surfaced as a null value in Dataverse").
     */
    static Long epochMillis(Object value) {
        if (!(value instanceof String s) || s.isBlank()) {
            return null;
        }
        Instant t;
        try {
            t = s.length() <= 10 ? LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant() : OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
        return t.isAfter(Instant.parse("1900-01-01T23:59:59Z")) ? t.toEpochMilli() : null;
    }
}
