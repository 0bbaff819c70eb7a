package io.dualsync.mapping.dualwrite;

import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.DiagnosticCode;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.Span;
import io.dualsync.mapping.dualwrite.DualWriteMap.Located;
import io.dualsync.mapping.dualwrite.DualWriteMap.Row;
import io.dualsync.mapping.syntax.Ast.Arrow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads the table form Microsoft publishes for its out-of-box maps:
 * <pre>
 * ## Customers V3 to accounts
 * Source filter: ((PartyType == "Organization"))
 * Reversed source filter: customertypecode eq 3
 * Finance and Operations field | Map type | Other Dynamics 365 field | Default value
 * ---|---|---|---
 * CUSTOMERACCOUNT | = | accountnumber |
 * </pre>
 */
final class MarkdownMapReader {
    private static final Pattern SEPARATOR = Pattern.compile("^\\s*\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?\\s*$");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s+(.*?)\\s*#*\\s*$");

    private final SourceFile in;
    private final List<Diagnostic> diagnostics;
    private final List<int[]> lines = new ArrayList<>(); // [start, end) of each line, without the break

    private MarkdownMapReader(SourceFile in, List<Diagnostic> diagnostics) {
        this.in = in;
        this.diagnostics = diagnostics;
        String text = in.text();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || text.charAt(i) == '\n') {
                int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
                lines.add(new int[] {start, end});
                start = i + 1;
            }
        }
    }

    /** Reads the map; returns null (after reporting why) when the text holds no field table. */
    static DualWriteMap read(SourceFile in, List<Diagnostic> diagnostics) {
        return new MarkdownMapReader(in, diagnostics).read();
    }

    private String line(int i) {
        return in.text().substring(lines.get(i)[0], lines.get(i)[1]);
    }

    private DualWriteMap read() {
        DualWriteMap map = new DualWriteMap();
        int tableAt = -1;
        for (int i = 0; i < lines.size(); i++) {
            String text = line(i);
            int lineStart = lines.get(i)[0];
            var heading = HEADING.matcher(text);
            if (map.title == null && heading.matches()) {
                String title = heading.group(1);
                int titleStart = lineStart + heading.start(1);
                int to = title.toLowerCase(Locale.ROOT).lastIndexOf(" to ");
                if (to > 0) {
                    map.title = title;
                    map.foEntity = located(title.substring(0, to), titleStart);
                    map.dataverseEntity = located(title.substring(to + 4), titleStart + to + 4);
                }
                continue;
            }
            Located filter = labelled(text, lineStart, "reversed source filter:");
            if (filter != null) {
                map.dataverseFilter = filter;
                continue;
            }
            filter = labelled(text, lineStart, "source filter:");
            if (filter != null) {
                map.foFilter = filter;
                continue;
            }
            if (text.contains("|") && i + 1 < lines.size() && SEPARATOR.matcher(line(i + 1)).matches()) {
                tableAt = i;
                break;
            }
        }
        if (tableAt < 0) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, Span.of(in, 0, Math.min(1, in.text().length())),
                    "no field table found: expected a header row `Finance and Operations field | Map type | "
                            + "Other Dynamics 365 field | Default value` followed by `---|---|---|---`")
                    .withHint("import the map's JSON (\"Show JSON\"/msdyn_mapping) or its documentation table"));
            return null;
        }
        if (map.title == null) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, Span.of(in, 0, Math.min(1, in.text().length())),
                    "no heading `## <F&O entity> to <Dataverse table>` before the table, so the entities are unknown")
                    .withHint("add the heading of Microsoft's page, e.g. `## Customers V3 to accounts`"));
        }
        int[] columns = columns(tableAt);
        for (int i = tableAt + 2; i < lines.size(); i++) {
            String text = line(i);
            if (text.isBlank() || !text.contains("|")) {
                break;
            }
            Row row = row(i, columns);
            if (row != null) {
                map.rows.add(row);
            }
        }
        if (map.rows.isEmpty()) {
            diagnostics.add(Diagnostic.warning(DiagnosticCode.IMPORT_MALFORMED, cellSpan(lines.get(tableAt)[0], line(tableAt)),
                    "the field table has no rows"));
        }
        return map;
    }

    private Located labelled(String text, int lineStart, String label) {
        String stripped = text.stripLeading();
        String lower = stripped.toLowerCase(Locale.ROOT);
        // Allow emphasis around the label: **Source filter:** ...
        String bare = lower.replace("*", "").replace("_", " ");
        if (!bare.startsWith(label)) {
            return null;
        }
        int colon = stripped.indexOf(':');
        int valueStart = lineStart + (text.length() - stripped.length()) + colon + 1;
        String value = stripped.substring(colon + 1);
        int lead = 0;
        while (lead < value.length() && (value.charAt(lead) == '*' || value.charAt(lead) == ' ')) {
            lead++;
        }
        value = value.substring(lead).stripTrailing();
        valueStart += lead;
        if (value.length() >= 2 && value.startsWith("`") && value.endsWith("`")) {
            value = value.substring(1, value.length() - 1);
            valueStart++;
        }
        return located(value, valueStart);
    }

    /** Indices of the F&O, map type, Dataverse and default columns; -1 when a column is absent. */
    private int[] columns(int header) {
        List<Cell> cells = cells(header);
        int fo = -1;
        int type = -1;
        int dv = -1;
        int def = -1;
        for (int c = 0; c < cells.size(); c++) {
            String h = cells.get(c).text.toLowerCase(Locale.ROOT);
            if (h.contains("map type") || h.equals("type")) {
                type = c;
            } else if (h.contains("default")) {
                def = c;
            } else if (fo < 0 && (h.contains("finance") || h.contains("f&o") || h.contains("fo field") || h.contains("operations"))) {
                fo = c;
            } else if (dv < 0 && (h.contains("other") || h.contains("dataverse") || h.contains("dynamics 365")
                    || h.contains("common data service") || h.contains("cds"))) {
                dv = c;
            } else {
                Cell cell = cells.get(c);
                diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_UNKNOWN_CONSTRUCT, cellSpan(cell.start, cell.text),
                        "unknown column `" + cell.text + "` in the field table; its values are not imported")
                        .withHint("the columns are: F&O field, map type, other Dynamics 365 field, default value"));
            }
        }
        if (fo < 0 || type < 0 || dv < 0) {
            // Not the expected header: read the columns by position, as Microsoft's pages order them.
            return new int[] {0, 1, 2, cells.size() > 3 ? 3 : -1};
        }
        return new int[] {fo, type, dv, def};
    }

    private Row row(int i, int[] columns) {
        List<Cell> cells = cells(i);
        int lineStart = lines.get(i)[0];
        String text = line(i);
        Row row = new Row();
        row.span = Span.of(in, lineStart, lineStart + text.length());
        int needed = Math.max(columns[0], Math.max(columns[1], columns[2])) + 1;
        if (cells.size() < needed) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, row.span, "this table row has "
                    + cells.size() + " cells; expected F&O field | map type | other field | default value"));
            row.skipped = "malformed row";
            return row;
        }
        Cell foCell = cells.get(columns[0]);
        Cell typeCell = cells.get(columns[1]);
        Cell dvCell = cells.get(columns[2]);
        Cell defCell = columns[3] >= 0 && columns[3] < cells.size() ? cells.get(columns[3]) : null;
        String symbol = unquote(typeCell.text);
        boolean withDefault = false;
        switch (symbol) {
            case "=" -> row.arrow = Arrow.BOTH;
            case "><" -> {
                row.arrow = Arrow.BOTH;
                row.valueTransform = true;
            }
            case ">" -> row.arrow = Arrow.TO_DATAVERSE;
            case "<" -> row.arrow = Arrow.TO_FO;
            case ">>" -> {
                row.arrow = Arrow.TO_DATAVERSE;
                withDefault = true;
            }
            case "<<" -> {
                row.arrow = Arrow.TO_FO;
                withDefault = true;
            }
            default -> {
                diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_UNKNOWN_CONSTRUCT, cellSpan(typeCell.start, typeCell.text),
                        "unknown map type `" + typeCell.text + "`; this row is not imported")
                        .withHint("dual-write's map types are = (both ways), >< (both ways, value map), > and >> "
                                + "(F&O to Dataverse), < and << (Dataverse to F&O)"));
                row.skipped = "unknown map type `" + typeCell.text + "`";
                return row;
            }
        }
        row.fo = side(foCell);
        row.dataverse = side(dvCell);
        if (row.fo != null && row.fo.text().isEmpty() || row.dataverse != null && row.dataverse.text().isEmpty()) {
            Cell empty = row.fo != null && row.fo.text().isEmpty() ? foCell : dvCell;
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, Span.of(in, empty.start, empty.start + 1),
                    "empty field cell; write `none` when a side has no field"));
            row.skipped = "empty field cell";
            return row;
        }
        if (row.fo == null && row.dataverse == null) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, row.span, "`none` on both sides maps nothing"));
            row.skipped = "`none` on both sides";
            return row;
        }
        if (defCell != null && !defCell.text.isEmpty()) {
            row.defaultValue = located(unquote(defCell.text), defCell.start + (defCell.text.startsWith("`") ? 1 : 0));
        }
        if (withDefault && row.defaultValue == null && (row.arrow == Arrow.TO_DATAVERSE ? row.fo : row.dataverse) == null) {
            diagnostics.add(Diagnostic.error(DiagnosticCode.IMPORT_MALFORMED, cellSpan(typeCell.start, typeCell.text),
                    "map type `" + symbol + "` with `none` as source needs a default value"));
        }
        return row;
    }

    private Located side(Cell cell) {
        String name = unquote(cell.text);
        if (name.equalsIgnoreCase("none")) {
            return null;
        }
        return located(name, cell.start + (cell.text.startsWith("`") ? 1 : 0));
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && s.startsWith("`") && s.endsWith("`")) {
            return s.substring(1, s.length() - 1).trim();
        }
        return s;
    }

    private Located located(String text, int start) {
        return new Located(text, Span.of(in, start, start + text.length()));
    }

    private Span cellSpan(int start, String text) {
        return Span.of(in, start, start + Math.max(1, text.length()));
    }

    /** A trimmed cell and the offset where its text starts. */
    private record Cell(String text, int start) {
    }

    private List<Cell> cells(int i) {
        String text = line(i);
        int base = lines.get(i)[0];
        int from = 0;
        int to = text.length();
        String trimmed = text.strip();
        int lead = text.indexOf(trimmed.isEmpty() ? " " : trimmed.substring(0, 1));
        if (trimmed.startsWith("|")) {
            from = lead + 1;
        }
        if (trimmed.endsWith("|") && trimmed.length() > 1 && trimmed.startsWith("|")) {
            to = text.lastIndexOf('|');
        }
        List<Cell> cells = new ArrayList<>();
        int start = from;
        for (int p = from; p <= to; p++) {
            if (p == to || text.charAt(p) == '|' && (p == 0 || text.charAt(p - 1) != '\\')) {
                String raw = text.substring(start, p);
                int skip = 0;
                while (skip < raw.length() && Character.isWhitespace(raw.charAt(skip))) {
                    skip++;
                }
                cells.add(new Cell(raw.strip().replace("\\|", "|"), base + start + skip));
                start = p + 1;
            }
        }
        // "a | = | b | " ends with an empty cell for the default column; "a | = | b |" likewise.
        return cells;
    }
}
