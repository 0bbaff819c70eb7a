package io.dualsync.emulator.odata;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/** {@code $orderby=field [asc|desc], ...}: a comparator over rows. */
public final class OrderBy {
    public record Term(String field, boolean descending) {
    }

    private final List<Term> terms;

    private OrderBy(List<Term> terms) {
        this.terms = terms;
    }

    public static OrderBy parse(String text) {
        List<Term> terms = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] words = part.trim().split("\\s+");
            if (words.length == 0 || words[0].isEmpty() || words.length > 2
                    || (words.length == 2 && !words[1].equals("asc") && !words[1].equals("desc"))) {
                throw new ODataException("Invalid $orderby clause '" + part.trim() + "'.");
            }
            terms.add(new Term(words[0], words.length == 2 && words[1].equals("desc")));
        }
        return new OrderBy(List.copyOf(terms));
    }

    public List<Term> terms() {
        return terms;
    }

    /** Nulls first ascending, as SQL Server sorts them. */
    public <R> Comparator<R> comparator(Function<R, Function<String, Object>> columns) {
        Comparator<R> result = (a, b) -> 0;
        for (Term t : terms) {
            Comparator<R> c = (a, b) -> {
                Object x = columns.apply(a).apply(t.field());
                Object y = columns.apply(b).apply(t.field());
                if (x == null || y == null) {
                    return x == y ? 0 : x == null ? -1 : 1;
                }
                Integer cmp = Filter.compare(x, y);
                return cmp == null ? 0 : cmp;
            };
            result = result.thenComparing(t.descending() ? c.reversed() : c);
        }
        return result;
    }
}
