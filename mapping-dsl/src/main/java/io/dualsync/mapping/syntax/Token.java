package io.dualsync.mapping.syntax;

import io.dualsync.mapping.Span;

/**
 * One token. {@code text} is the exact source text; {@code value} is the decoded value of string
 * literals (quotes removed, escapes resolved) and otherwise equals {@code text}.
 * {@code lineStart} is true for the first token on a physical line; {@code indent} is then the
 * column where it starts (0-based), which is how continuation lines of a field are recognised.
 */
public record Token(TokenKind kind, String text, String value, Span span, boolean lineStart, int indent) {

    public boolean is(TokenKind k) {
        return kind == k;
    }

    public boolean isWord(String word) {
        return kind == TokenKind.IDENT && text.equals(word);
    }

    /** True for string literals written with single quotes (OData style). */
    public boolean singleQuoted() {
        return kind == TokenKind.STRING && text.startsWith("'");
    }

    public String describe() {
        return switch (kind) {
            case IDENT, NUMBER, GUID, DATETIME, STRING -> "`" + text + "`";
            default -> kind.describe();
        };
    }
}
