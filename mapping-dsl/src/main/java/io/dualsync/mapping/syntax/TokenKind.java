package io.dualsync.mapping.syntax;

/** Kinds of tokens of the mapping language (and of the two filter languages embedded in it). */
public enum TokenKind {
    IDENT,
    STRING,
    NUMBER,
    GUID,
    DATETIME,
    NEWLINE,
    COMMENT,
    BOTH_ARROW("<->"),
    RIGHT_ARROW("->"),
    LEFT_ARROW("<-"),
    EQ_EQ("=="),
    NOT_EQ("!="),
    LT_EQ("<="),
    GT_EQ(">="),
    LT("<"),
    GT(">"),
    AND_AND("&&"),
    OR_OR("||"),
    BANG("!"),
    COLON_COLON("::"),
    PIPE("|"),
    COMMA(","),
    EQUALS("="),
    DOT("."),
    MINUS("-"),
    LPAREN("("),
    RPAREN(")"),
    LBRACE("{"),
    RBRACE("}"),
    EOF;

    private final String symbol;

    TokenKind() {
        this.symbol = null;
    }

    TokenKind(String symbol) {
        this.symbol = symbol;
    }

    /** The fixed text of a punctuation token, or {@code null} for tokens with variable text. */
    public String symbol() {
        return symbol;
    }

    public String describe() {
        return switch (this) {
            case IDENT -> "a name";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case GUID -> "a guid";
            case DATETIME -> "a date";
            case NEWLINE -> "end of line";
            case COMMENT -> "a comment";
            case EOF -> "end of file";
            default -> "`" + symbol + "`";
        };
    }
}
