package io.dualsync.mapping.syntax;

import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.DiagnosticCode;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.Span;

import java.util.List;

/**
 * A position in a list of tokens (comments already removed), with the helpers every parser of the
 * package needs. Parse errors are thrown as {@link ParseError} and caught at statement level,
 * where the parser records them and skips to the next line.
 */
public final class TokenCursor {
    private final List<Token> tokens;
    private final SourceFile file;
    private int index;

    public TokenCursor(List<Token> tokens, SourceFile file) {
        this.tokens = tokens;
        this.file = file;
    }

    public Token peek() {
        return index < tokens.size() ? tokens.get(index) : eof();
    }

    public Token peek(int ahead) {
        int i = index + ahead;
        return i < tokens.size() ? tokens.get(i) : eof();
    }

    public Token next() {
        Token t = peek();
        if (index < tokens.size()) {
            index++;
        }
        return t;
    }

    public boolean at(TokenKind kind) {
        return peek().is(kind);
    }

    public boolean atWord(String word) {
        return peek().isWord(word);
    }

    public boolean atEnd() {
        return at(TokenKind.EOF) || at(TokenKind.NEWLINE);
    }

    public boolean accept(TokenKind kind) {
        if (at(kind)) {
            index++;
            return true;
        }
        return false;
    }

    public Token expect(TokenKind kind, String what) {
        if (!at(kind)) {
            throw error("expected " + what + ", found " + peek().describe());
        }
        return next();
    }

    public Token expectWord(String word) {
        if (!atWord(word)) {
            throw error("expected `" + word + "`, found " + peek().describe());
        }
        return next();
    }

    public ParseError error(String message) {
        return new ParseError(Diagnostic.error(DiagnosticCode.SYNTAX, peek().span(), message));
    }

    public int index() {
        return index;
    }

    public void reset(int to) {
        index = to;
    }

    public Token previous() {
        return tokens.get(Math.max(0, index - 1));
    }

    private Token eof() {
        if (!tokens.isEmpty()) {
            Token last = tokens.get(tokens.size() - 1);
            if (last.is(TokenKind.EOF)) {
                return last;
            }
            int end = last.span().end();
            return new Token(TokenKind.EOF, "", "", Span.of(file, end, end), false, -1);
        }
        return new Token(TokenKind.EOF, "", "", Span.of(file, 0, 0), false, -1);
    }

    /** A syntax error inside one statement; carries its diagnostic. */
    public static final class ParseError extends RuntimeException {
        private final transient Diagnostic diagnostic;

        public ParseError(Diagnostic diagnostic) {
            super(diagnostic.message(), null, false, false);
            this.diagnostic = diagnostic;
        }

        public Diagnostic diagnostic() {
            return diagnostic;
        }
    }
}
