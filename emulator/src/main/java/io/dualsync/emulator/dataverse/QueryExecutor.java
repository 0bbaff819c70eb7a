package io.dualsync.emulator.dataverse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.odata.Filter;
import io.dualsync.emulator.odata.ODataException;
import io.dualsync.emulator.odata.OrderBy;
import io.dualsync.emulator.store.Change;
import io.dualsync.emulator.store.Table;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.FieldDef;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET <entityset>} with its query options, paging and change tracking, on the event loop:
 * <ul>
 * <li>$select, $filter, $orderby, $top, $count (query/*.md; count capped at 5,000 as count-rows.md says);</li>
 * <li>paging with {@code Prefer: odata.maxpagesize}, {@code Preference-Applied} and {@code @odata.nextLink}
 *     carrying a {@code $skiptoken} paging cookie (query/page-results.md; $top is ignored with maxpagesize);</li>
 * <li>change tracking with {@code Prefer: odata.track-changes}, {@code @odata.deltaLink} and
 *     {@code $deltatoken}; deleted rows come back as {@code $deletedEntity} entries after the new and
 *     updated ones (use-change-tracking-synchronize-data-external-systems.md).</li>
 * </ul>
 */
final class QueryExecutor {
    static final int COUNT_LIMIT = 5000;
    private static final DateTimeFormatter TOKEN_TIME = DateTimeFormatter.ofPattern("MM/dd/yyyy HH:mm:ss");
    private static final Pattern COOKIE_ATTR = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final EmulatorContext ctx;

    QueryExecutor(EmulatorContext ctx) {
        this.ctx = ctx;
    }

    private String api() {
        return ctx.baseUrl() + DataverseApi.PREFIX;
    }

    ApiResponse query(Table t, ApiRequest req, UnitOfWork uow) {
        EntitySchema schema = t.schema();
        String select = req.queryOption("$select");
        List<FieldDef> columns = RecordJson.select(schema, select);
        if (req.queryOption("$expand") != null) {
            throw DataverseError.badRequest("The emulator does not support $expand.");
        }
        if (req.queryOption("$skip") != null) {
            throw DataverseError.badRequest("The query parameter $skip is not supported.");
        }
        String deltaToken = req.queryOption("$deltatoken");
        if (deltaToken != null) {
            return delta(t, req, columns, select, deltaToken);
        }
        Map<String, String> prefer = req.prefer();
        boolean tracking = prefer.containsKey("odata.track-changes");
        if (tracking) {
            for (String option : List.of("$filter", "$orderby", "$expand", "$top")) {
                if (req.queryOption(option) != null) {
                    throw DataverseError.notWithTracking(option);
                }
            }
        }
        Filter filter = null;
        OrderBy orderBy = null;
        try {
            if (req.queryOption("$filter") != null) {
                filter = Filter.parse(req.queryOption("$filter"));
                for (String f : filter.fields()) {
                    checkProperty(schema, f);
                }
            }
            if (req.queryOption("$orderby") != null) {
                orderBy = OrderBy.parse(req.queryOption("$orderby"));
                for (OrderBy.Term term : orderBy.terms()) {
                    checkProperty(schema, term.field());
                }
            }
        } catch (ODataException e) {
            throw new DataverseError(400, "0x0", e.getMessage());
        }
        List<UnitOfWork.Rec> rows = new ArrayList<>();
        for (UnitOfWork.Rec r : uow.rows(t)) {
            if (filter == null || filter.test(columns(schema, r, uow))) {
                rows.add(r);
            }
        }
        if (orderBy != null) {
            rows.sort(orderBy.comparator(r -> columns(schema, r, uow)));
        }

        ApiResponse resp = new ApiResponse(200);
        List<String> applied = new ArrayList<>();
        int max = ctx.options().dataverseMaxPageSize;
        int pageSize = max;
        boolean maxPageSizeGiven = prefer.containsKey("odata.maxpagesize");
        if (maxPageSizeGiven) {
            try {
                pageSize = Math.max(1, Math.min(Integer.parseInt(prefer.get("odata.maxpagesize").trim()), max));
            } catch (NumberFormatException e) {
                throw DataverseError.badRequest("The value of the odata.maxpagesize preference must be a number.");
            }
            applied.add("odata.maxpagesize=" + prefer.get("odata.maxpagesize").trim());
        }
        if (tracking) {
            applied.add("odata.track-changes");
        }
        String top = req.queryOption("$top");
        if (top != null && !maxPageSizeGiven) {
            try {
                int n = Integer.parseInt(top.trim());
                if (n < 0) {
                    throw new NumberFormatException();
                }
                rows = new ArrayList<>(rows.subList(0, Math.min(n, rows.size())));
            } catch (NumberFormatException e) {
                throw DataverseError.badRequest("Invalid value '" + top + "' for $top query option found.");
            }
        }

        Map<String, String> cookie = cookie(req.queryOption("$skiptoken"));
        int start = 0;
        if (cookie != null) {
            int page = parseInt(cookie.get("pagenumber"), 2);
            start = (page - 1) * pageSize;
            String last = cookie.get("last");
            if (last != null) {
                for (int i = 0; i < rows.size(); i++) {
                    if (rows.get(i).id().equals(last)) {
                        start = i + 1;
                        break;
                    }
                }
            }
        }
        long trackingVersion = cookie != null && cookie.get("trackingversion") != null
                ? Long.parseLong(cookie.get("trackingversion")) : uow.store().currentVersion();
        start = Math.min(start, rows.size());
        int end = Math.min(start + pageSize, rows.size());

        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("@odata.context", api() + "$metadata#" + t.entitySet() + RecordJson.contextSelect(select));
        if ("true".equalsIgnoreCase(req.queryOption("$count"))) {
            body.put("@odata.count", Math.min(rows.size(), COUNT_LIMIT));
        }
        ArrayNode value = body.putArray("value");
        for (UnitOfWork.Rec r : rows.subList(start, end)) {
            value.add(RecordJson.write(schema, r, columns));
        }
        if (end < rows.size()) {
            int nextPage = (start / pageSize) + 2;
            StringBuilder c = new StringBuilder("<cookie pagenumber=\"").append(nextPage).append("\" last=\"")
                    .append(rows.get(end - 1).id()).append("\" istracking=\"").append(tracking ? "True" : "False").append('"');
            if (tracking) {
                c.append(" trackingversion=\"").append(trackingVersion).append('"');
            }
            c.append(" />");
            body.put("@odata.nextLink", api() + t.entitySet() + "?" + withoutOption(req.rawQuery, "$skiptoken", "$skiptoken=" + encode(c.toString())));
        } else if (tracking) {
            body.put("@odata.deltaLink", deltaLink(t, select, trackingVersion));
        }
        if (!applied.isEmpty()) {
            resp.header("Preference-Applied", String.join(", ", applied));
        }
        resp.header("Content-Type", ApiResponse.JSON);
        resp.body = Json.write(body);
        return resp;
    }

    /** {@code GET <entityset>/$count}: the number of rows as text, up to 5,000 (count-rows.md). */
    ApiResponse count(Table t, UnitOfWork uow) {
        ApiResponse r = new ApiResponse(200).header("Content-Type", "text/plain");
        r.body = String.valueOf(Math.min(uow.rows(t).size(), COUNT_LIMIT));
        return r;
    }

    private ApiResponse delta(Table t, ApiRequest req, List<FieldDef> columns, String select, String token) {
        long since = parseToken(token);
        EntitySchema schema = t.schema();
        Map<String, Change> latest = new LinkedHashMap<>();
        for (Change c : t.changesSince(since)) {
            latest.remove(c.id());
            latest.put(c.id(), c);
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("@odata.context", api() + "$metadata#" + t.entitySet() + RecordJson.contextSelect(select) + "/$delta");
        body.put("@odata.deltaLink", deltaLink(t, select, ctx.store().currentVersion()));
        ArrayNode value = body.putArray("value");
        List<String> deleted = new ArrayList<>();
        for (Change c : latest.values()) {
            var row = t.get(c.id());
            if (row == null) {
                deleted.add(c.id());
            } else {
                value.add(RecordJson.write(schema, UnitOfWork.Rec.of(row), columns));
            }
        }
        for (String id : deleted) {
            ObjectNode d = value.addObject();
            d.put("@odata.context", api() + "$metadata#" + t.entitySet() + "/$deletedEntity");
            d.put("id", id);
            d.put("reason", "deleted");
        }
        ApiResponse resp = new ApiResponse(200).header("Content-Type", ApiResponse.JSON);
        resp.body = Json.write(body);
        return resp;
    }

    private String deltaLink(Table t, String select, long version) {
        String token = version + "!" + LocalDateTime.now(ZoneOffset.UTC).format(TOKEN_TIME);
        StringBuilder b = new StringBuilder(api()).append(t.entitySet()).append('?');
        if (select != null && !select.isBlank()) {
            b.append("$select=").append(encode(select)).append('&');
        }
        return b.append("$deltatoken=").append(encode(token)).toString();
    }

    /**
     * A delta token is {@code <row version>!<UTC time it was issued>}, the shape the documentation's
     * examples show. Tokens older than {@code changeTrackingRetentionSeconds} are expired.
     */
    private long parseToken(String token) {
        int bang = token.indexOf('!');
        long version;
        Instant issued;
        try {
            version = Long.parseLong(bang < 0 ? token.trim() : token.substring(0, bang).trim());
            issued = bang < 0 ? Instant.now() : LocalDateTime.parse(token.substring(bang + 1).trim(), TOKEN_TIME).toInstant(ZoneOffset.UTC);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw DataverseError.badRequest("The $deltatoken '" + token + "' is not valid.");
        }
        if (version < 0 || version > ctx.store().currentVersion()) {
            throw DataverseError.badRequest("The $deltatoken '" + token + "' is not valid.");
        }
        if (Duration.between(issued, Instant.now()).getSeconds() > ctx.options().changeTrackingRetentionSeconds) {
            throw DataverseError.expiredToken();
        }
        return version;
    }

    /** A property $filter/$orderby may read: a column, a lookup property, or {@code lookup/column} of the related row. */
    private void checkProperty(EntitySchema schema, String name) {
        int slash = name.indexOf('/');
        if (slash > 0) {
            FieldDef nav = PayloadReader.navigationOrNull(schema, name.substring(0, slash));
            Table target = nav == null ? null : ctx.store().table(nav.target());
            if (nav == null) {
                throw DataverseError.unknownProperty(schema, name.substring(0, slash));
            }
            if (target == null || RecordJson.columnOf(target.schema(), name.substring(slash + 1)) == null) {
                throw target == null ? DataverseError.unknownProperty(schema, name)
                        : DataverseError.unknownProperty(target.schema(), name.substring(slash + 1));
            }
            return;
        }
        if (RecordJson.columnOf(schema, name) == null) {
            throw DataverseError.unknownProperty(schema, name);
        }
    }

    private Function<String, Object> columns(EntitySchema schema, UnitOfWork.Rec r, UnitOfWork uow) {
        return name -> {
            int slash = name.indexOf('/');
            if (slash > 0) {
                FieldDef nav = PayloadReader.navigationOrNull(schema, name.substring(0, slash));
                Object id = r.values().get(nav.name());
                Table target = ctx.store().table(nav.target());
                UnitOfWork.Rec related = id == null ? null : uow.get(target, id.toString());
                if (related == null) {
                    return null;
                }
                FieldDef f = RecordJson.columnOf(target.schema(), name.substring(slash + 1));
                return f.name().equals(target.schema().primaryId()) ? related.id() : related.values().get(f.name());
            }
            FieldDef f = RecordJson.columnOf(schema, name);
            return f == null ? null : r.values().get(f.name());
        };
    }

    private static Map<String, String> cookie(String skipToken) {
        if (skipToken == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = COOKIE_ATTR.matcher(skipToken);
        while (m.find()) {
            out.put(m.group(1), m.group(2));
        }
        if (!out.containsKey("pagenumber")) {
            throw DataverseError.badRequest("The $skiptoken is not valid.");
        }
        return out;
    }

    private static int parseInt(String s, int dflt) {
        try {
            return Math.max(1, Integer.parseInt(s));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The raw query without {@code option}, with {@code extra} appended. */
    private static String withoutOption(String rawQuery, String option, String extra) {
        StringBuilder b = new StringBuilder();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = ApiRequest.decode(eq < 0 ? pair : pair.substring(0, eq), true);
            if (!name.equals(option)) {
                b.append(pair).append('&');
            }
        }
        return b.append(extra).toString();
    }
}
