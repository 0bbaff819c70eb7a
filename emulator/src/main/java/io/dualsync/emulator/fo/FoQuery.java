package io.dualsync.emulator.fo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualsync.emulator.odata.Filter;
import io.dualsync.emulator.odata.ODataException;
import io.dualsync.emulator.odata.OrderBy;
import io.dualsync.emulator.store.Row;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A collection read: {@code $filter}, {@code $orderby}, {@code $skip}, {@code $top}, {@code $select},
 * {@code $count} and server-driven paging with {@code @odata.nextLink} (odata.md, "Supported features
 * from the OData specification": at most 10,000 records a page). Runs on the event loop.
 */
final class FoQuery {
    /** Query options the service knows; any other {@code $option} is refused. */
    private static final Set<String> KNOWN = Set.of("$filter", "$select", "$top", "$skip", "$orderby", "$count",
            "$expand", "$format", "$skiptoken");
    /** {@code Field eq '*text*'}: F&O implements "contains" as a wildcard in eq (odata.md, "Filter details"). */
    private static final Pattern WILDCARD = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s+(eq|ne)\\s+'((?:[^']|'')*\\*(?:[^']|'')*)'");

    private final FoEntity entity;
    private final FoRequest request;
    private final String baseUrl;
    private final int maxPageSize;

    private Filter filter;
    private OrderBy orderBy;
    private List<String> select;
    private int skip;
    private Integer top;
    private boolean count;

    FoQuery(FoEntity entity, FoRequest request, String baseUrl, int maxPageSize) {
        this.entity = entity;
        this.request = request;
        this.baseUrl = baseUrl;
        this.maxPageSize = maxPageSize;
        parse();
    }

    private void parse() {
        for (String name : request.query().keySet()) {
            if (name.startsWith("$") && !KNOWN.contains(name)) {
                throw FoError.badRequest("The query parameter '" + name + "' is not supported.");
            }
        }
        String f = request.option("$filter");
        if (f != null) {
            try {
                filter = Filter.parse(wildcards(f));
            } catch (ODataException e) {
                throw FoError.badRequest(e.getMessage());
            }
            for (String field : filter.fields()) {
                requireProperty(field);
            }
        }
        String o = request.option("$orderby");
        if (o != null) {
            try {
                orderBy = OrderBy.parse(o);
            } catch (ODataException e) {
                throw FoError.badRequest(e.getMessage());
            }
            for (OrderBy.Term t : orderBy.terms()) {
                requireProperty(t.field());
            }
        }
        select = select(request.option("$select"));
        String expand = request.option("$expand");
        if (expand != null && !expand.isBlank()) {
            // The shipped schemas declare no navigation properties.
            requireProperty(expand.split("[,(]")[0].trim());
            throw FoError.badRequest("Property '" + expand.split("[,(]")[0].trim() + "' on type '" + entity.qualifiedType()
                    + "' is not a navigation property or complex property. Only navigation properties can be expanded.");
        }
        skip = nonNegative("$skip");
        String t = request.option("$top");
        top = t == null ? null : nonNegative("$top");
        String c = request.option("$count");
        if (c != null && !c.equals("true") && !c.equals("false")) {
            throw FoError.badRequest("'" + c + "' is not a valid count option.");
        }
        count = "true".equals(c);
    }

    /** {@code $select} fields, checked; null when absent or {@code *}. */
    List<String> select(String text) {
        if (text == null || text.isBlank() || text.trim().equals("*")) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        for (String s : text.split(",")) {
            String name = s.trim();
            requireProperty(name);
            fields.add(name);
        }
        return fields;
    }

    private void requireProperty(String name) {
        if (entity.field(name) == null) {
            throw FoError.badRequest("Could not find a property named '" + name + "' on type '" + entity.qualifiedType() + "'.");
        }
    }

    private int nonNegative(String option) {
        String v = request.option(option);
        if (v == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw FoError.badRequest("Invalid value '" + v + "' for " + option + " query option found. The " + option
                + " query option requires a non-negative integer value.");
    }

    /** Rewrites {@code F eq '*x*'}, {@code 'x*'}, {@code '*x'} into contains/startswith/endswith. */
    static String wildcards(String filter) {
        Matcher m = WILDCARD.matcher(filter);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String field = m.group(1);
            String value = m.group(3);
            boolean lead = value.startsWith("*");
            boolean trail = value.endsWith("*") && value.length() > 1;
            String core = value.substring(lead ? 1 : 0, value.length() - (trail ? 1 : 0));
            String replacement;
            if (core.contains("*")) {
                replacement = m.group(0); // a star inside the text: compared literally
            } else {
                String fn = lead && trail ? "contains" : lead ? "endswith" : "startswith";
                replacement = (m.group(2).equals("ne") ? "not " : "") + fn + "(" + field + ",'" + core + "')";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private List<Row> matching(Iterable<Row> visible) {
        List<Row> out = new ArrayList<>();
        for (Row r : visible) {
            if (filter == null || filter.test(col -> entity.value(r.values(), col))) {
                out.add(r);
            }
        }
        Comparator<Row> order;
        if (orderBy != null) {
            order = orderBy.comparator(r -> col -> entity.value(r.values(), col));
        } else {
            // Without $orderby, records come in entity key order, which keeps $skip paging stable.
            order = Comparator.comparing((Row r) -> entity.rowId(r.values()));
        }
        out.sort(order);
        return out;
    }

    /** The {@code /$count} answer: how many records match the filter ($top and $skip do not apply). */
    int countOnly(Iterable<Row> visible) {
        return matching(visible).size();
    }

    /** The JSON answer for the collection. */
    ObjectNode run(Iterable<Row> visible) {
        List<Row> all = matching(visible);
        int from = Math.min(skip, all.size());
        int to = top == null ? all.size() : Math.min(all.size(), from + top);
        int pageEnd = Math.min(to, from + maxPageSize);

        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("@odata.context", baseUrl + "/data/$metadata#" + entity.entitySet()
                + (select == null ? "" : "(" + String.join(",", select) + ")"));
        if (count) {
            root.put("@odata.count", all.size());
        }
        ArrayNode value = root.putArray("value");
        for (Row r : all.subList(from, pageEnd)) {
            value.add(entity.render(r.values(), r.etag(), select));
        }
        if (pageEnd < to) {
            root.put("@odata.nextLink", nextLink(pageEnd, top == null ? null : top - (pageEnd - from)));
        }
        return root;
    }

    private String nextLink(int nextSkip, Integer remaining) {
        StringBuilder b = new StringBuilder(baseUrl).append("/data/").append(entity.entitySet()).append('?');
        boolean first = true;
        for (Map.Entry<String, List<String>> e : request.query().entrySet()) {
            if (e.getKey().equals("$skip") || e.getKey().equals("$top")) {
                continue;
            }
            for (String v : e.getValue()) {
                if (!first) {
                    b.append('&');
                }
                b.append(encode(e.getKey())).append('=').append(encode(v));
                first = false;
            }
        }
        if (remaining != null) {
            b.append(first ? "" : "&").append("$top=").append(remaining);
            first = false;
        }
        b.append(first ? "" : "&").append("$skip=").append(nextSkip);
        return b.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%24", "$")
                .replace("%27", "'").replace("%2C", ",");
    }
}
