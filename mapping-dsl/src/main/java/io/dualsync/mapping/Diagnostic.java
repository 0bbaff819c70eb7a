package io.dualsync.mapping;

import java.util.Comparator;
import java.util.List;

/**
 * One problem found in a mapping file: what, where, and what to do about it.
 *
 * @param severity error or warning
 * @param code     stable code, documented in docs/mapping-language.md (for instance {@code E201})
 * @param message  what is wrong, in one sentence
 * @param span     the text it is about
 * @param hint     what to do, or {@code null}
 */
public record Diagnostic(Severity severity, String code, String message, Span span, String hint) {

    /** By file, then position, then code: the order in which they are reported. */
    public static final Comparator<Diagnostic> BY_POSITION = Comparator
            .comparing((Diagnostic d) -> d.span().file().path())
            .thenComparingInt(d -> d.span().start())
            .thenComparing(Diagnostic::code);

    public static Diagnostic error(DiagnosticCode code, Span span, String message) {
        return new Diagnostic(Severity.ERROR, code.code(), message, span, null);
    }

    public static Diagnostic warning(DiagnosticCode code, Span span, String message) {
        return new Diagnostic(Severity.WARNING, code.code(), message, span, null);
    }

    public Diagnostic withHint(String newHint) {
        return new Diagnostic(severity, code, message, span, newHint);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /**
     * Renders the diagnostic the way compilers do:
     * <pre>
     * maps/customers.map:12:21: error[E201]: unknown Dataverse field `acountnumber` in accounts
     *    12 |   CustomerAccount <-> acountnumber
     *       |                       ^^^^^^^^^^^^
     *       = hint: did you mean `accountnumber`?
     * </pre>
     */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(span.location()).append(": ").append(severity.label())
                .append('[').append(code).append("]: ").append(message).append('\n');
        int line = span.line();
        String text = span.file().lineText(line);
        String number = Integer.toString(line);
        String gutter = " ".repeat(number.length());
        out.append(' ').append(number).append(" | ").append(text.replace('\t', ' ')).append('\n');
        int col = span.column();
        int lineEnd = text.length() + 1;
        int width = Math.max(1, Math.min(span.end() - span.start(), lineEnd - col));
        out.append(' ').append(gutter).append(" | ").append(" ".repeat(Math.max(0, col - 1)))
                .append("^".repeat(width)).append('\n');
        if (hint != null) {
            out.append(' ').append(gutter).append(" = hint: ").append(hint).append('\n');
        }
        return out.toString();
    }

    /**
     * Adds a diagnostic to a list at once and lets a hint be attached after: used by checkers that
     * build the hint only when there is one.
     */
    public static final class Builder {
        private final List<Diagnostic> out;
        private final int index;

        public Builder(List<Diagnostic> out, Diagnostic d) {
            this.out = out;
            this.index = out.size();
            out.add(d);
        }

        /** Attaches a hint; a null hint leaves the diagnostic as it is. */
        public Builder hint(String hint) {
            if (hint != null) {
                out.set(index, out.get(index).withHint(hint));
            }
            return this;
        }
    }
}
