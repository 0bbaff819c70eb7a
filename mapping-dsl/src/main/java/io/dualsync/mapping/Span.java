package io.dualsync.mapping;

/**
 * A range of characters in a {@link SourceFile}: {@code start} inclusive, {@code end} exclusive.
 * Every token and every syntax node carries one, so diagnostics can point at the exact text.
 */
public record Span(SourceFile file, int start, int end) {

    public static Span of(SourceFile file, int start, int end) {
        return new Span(file, start, Math.max(start, end));
    }

    public Span to(Span other) {
        return new Span(file, Math.min(start, other.start), Math.max(end, other.end));
    }

    public int line() {
        return file.line(start);
    }

    public int column() {
        return file.column(start);
    }

    public String text() {
        return file.text().substring(start, end);
    }

    /** {@code path:line:col}, the form editors and terminals turn into links. */
    public String location() {
        return file.path() + ":" + line() + ":" + column();
    }

    @Override
    public String toString() {
        return location();
    }
}
