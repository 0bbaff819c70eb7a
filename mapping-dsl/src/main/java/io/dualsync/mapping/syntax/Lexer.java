package io.dualsync.mapping.syntax;

import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.DiagnosticCode;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.Span;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a mapping file into tokens. Line breaks are tokens (statements end at them) except inside
 * parentheses and braces, where a statement may run over several lines. Comments are kept as
 * tokens so the formatter can put them back; the parser skips them. Never throws: bad characters
 * and unterminated strings become diagnostics and lexing goes on.
 */
public final class Lexer {
    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DATETIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})?)?");

    private final SourceFile file;
    private final String src;
    private final List<Token> tokens = new ArrayList<>();
    private final List<Diagnostic> diagnostics;
    private int pos;
    private int depth;
    private final java.util.ArrayDeque<Integer> openBrackets = new java.util.ArrayDeque<>();
    private boolean atLineStart = true;
    private int lineStartOffset;

    private Lexer(SourceFile file, List<Diagnostic> diagnostics) {
        this.file = file;
        this.src = file.text();
        this.diagnostics = diagnostics;
    }

    /** All tokens of the file, comments included, ending with {@link TokenKind#EOF}. */
    public static List<Token> tokenize(SourceFile file, List<Diagnostic> diagnostics) {
        Lexer lexer = new Lexer(file, diagnostics);
        lexer.run();
        return lexer.tokens;
    }

    private void run() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                if (depth > 0 && nextLineStartsStatement(pos + 1)) {
                    // A bracket left open would swallow the rest of the file; a line indented no
                    // deeper than the one that opened it starts a new statement, so close it there.
                    int open = openBrackets.peekLast();
                    diagnostics.add(Diagnostic.error(DiagnosticCode.UNCLOSED_BRACKET, Span.of(file, open, open + 1),
                            "`" + src.charAt(open) + "` is not closed").withHint("close it before the end of the statement"));
                    depth = 0;
                    openBrackets.clear();
                }
                if (depth == 0) {
                    add(TokenKind.NEWLINE, pos, pos + 1, "\n");
                }
                pos++;
                atLineStart = true;
                lineStartOffset = pos;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r') {
                pos++;
                continue;
            }
            if (c == '#') {
                int end = src.indexOf('\n', pos);
                end = end < 0 ? src.length() : end;
                int trimmed = end;
                while (trimmed > pos && Character.isWhitespace(src.charAt(trimmed - 1))) {
                    trimmed--;
                }
                add(TokenKind.COMMENT, pos, trimmed, src.substring(pos, trimmed));
                pos = end;
                continue;
            }
            if (c == '"' || c == '\'') {
                string(c);
                continue;
            }
            if (isHex(c) && matchAt(GUID)) {
                continue;
            }
            if (Character.isDigit(c)) {
                if (matchDate()) {
                    continue;
                }
                number();
                continue;
            }
            if (Character.isLetter(c) || c == '_') {
                ident();
                continue;
            }
            punctuation(c);
        }
        if (depth > 0) {
            int open = openBrackets.peekLast();
            diagnostics.add(Diagnostic.error(DiagnosticCode.UNCLOSED_BRACKET, Span.of(file, open, open + 1),
                    "`" + src.charAt(open) + "` is not closed").withHint("close it before the end of the statement"));
        }
        if (!tokens.isEmpty() && !tokens.get(tokens.size() - 1).is(TokenKind.NEWLINE)) {
            add(TokenKind.NEWLINE, src.length(), src.length(), "\n");
        }
        add(TokenKind.EOF, src.length(), src.length(), "");
    }

    private void punctuation(char c) {
        int start = pos;
        TokenKind kind = switch (c) {
            case '<' -> startsWith("<->") ? TokenKind.BOTH_ARROW
                    : startsWith("<-") ? TokenKind.LEFT_ARROW
                    : startsWith("<=") ? TokenKind.LT_EQ : TokenKind.LT;
            case '-' -> startsWith("->") ? TokenKind.RIGHT_ARROW : TokenKind.MINUS;
            case '=' -> startsWith("==") ? TokenKind.EQ_EQ : TokenKind.EQUALS;
            case '!' -> startsWith("!=") ? TokenKind.NOT_EQ : TokenKind.BANG;
            case '>' -> startsWith(">=") ? TokenKind.GT_EQ : TokenKind.GT;
            case '&' -> startsWith("&&") ? TokenKind.AND_AND : null;
            case '|' -> startsWith("||") ? TokenKind.OR_OR : TokenKind.PIPE;
            case ':' -> startsWith("::") ? TokenKind.COLON_COLON : null;
            case ',' -> TokenKind.COMMA;
            case '.' -> TokenKind.DOT;
            case '(' -> TokenKind.LPAREN;
            case ')' -> TokenKind.RPAREN;
            case '{' -> TokenKind.LBRACE;
            case '}' -> TokenKind.RBRACE;
            default -> null;
        };
        if (kind == null) {
            int cp = src.codePointAt(pos);
            int len = Character.charCount(cp);
            String shown = new String(Character.toChars(cp));
            Diagnostic d = Diagnostic.error(DiagnosticCode.UNEXPECTED_CHARACTER, Span.of(file, pos, pos + len),
                    "unexpected character `" + shown + "`");
            if (c == '&') {
                d = d.withHint("F&O filters write `and` as `&&`");
            } else if (c == ':') {
                d = d.withHint("enum values are written `Enum::Value`");
            }
            diagnostics.add(d);
            pos += len;
            return;
        }
        if (kind == TokenKind.LPAREN || kind == TokenKind.LBRACE) {
            depth++;
            openBrackets.addLast(pos);
        } else if ((kind == TokenKind.RPAREN || kind == TokenKind.RBRACE) && depth > 0) {
            depth--;
            openBrackets.pollLast();
        }
        pos += kind.symbol().length();
        add(kind, start, pos, kind.symbol());
    }

    private void string(char quote) {
        int start = pos;
        StringBuilder value = new StringBuilder();
        pos++;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                break;
            }
            if (c == quote) {
                // OData doubles a quote to escape it: 'O''Neil'.
                if (quote == '\'' && pos + 1 < src.length() && src.charAt(pos + 1) == '\'') {
                    value.append('\'');
                    pos += 2;
                    continue;
                }
                pos++;
                addValue(TokenKind.STRING, start, pos, value.toString());
                return;
            }
            if (c == '\\' && quote == '"' && pos + 1 < src.length()) {
                char e = src.charAt(pos + 1);
                switch (e) {
                    case 'n' -> value.append('\n');
                    case 't' -> value.append('\t');
                    case '"' -> value.append('"');
                    case '\\' -> value.append('\\');
                    default -> value.append('\\').append(e);
                }
                pos += 2;
                continue;
            }
            value.append(c);
            pos++;
        }
        diagnostics.add(Diagnostic.error(DiagnosticCode.UNTERMINATED_STRING, Span.of(file, start, pos),
                "string is not closed on this line").withHint("add the closing " + quote));
        addValue(TokenKind.STRING, start, pos, value.toString());
    }

    private void number() {
        int start = pos;
        while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
            pos++;
        }
        if (pos + 1 < src.length() && src.charAt(pos) == '.' && Character.isDigit(src.charAt(pos + 1))) {
            pos++;
            while (pos < src.length() && Character.isDigit(src.charAt(pos))) {
                pos++;
            }
        }
        add(TokenKind.NUMBER, start, pos, src.substring(start, pos));
    }

    private void ident() {
        int start = pos;
        pos++;
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (Character.isLetterOrDigit(c) || c == '_') {
                pos++;
            } else if (c == '-' && pos + 1 < src.length() && Character.isLetter(src.charAt(pos + 1))) {
                // Hyphenated words such as last-writer-wins; `a->b` stays three tokens.
                pos++;
            } else {
                break;
            }
        }
        add(TokenKind.IDENT, start, pos, src.substring(start, pos));
    }

    private boolean matchAt(Pattern pattern) {
        Matcher m = pattern.matcher(src).region(pos, src.length());
        if (m.lookingAt() && !continuesWord(m.end())) {
            add(TokenKind.GUID, pos, m.end(), src.substring(pos, m.end()));
            pos = m.end();
            return true;
        }
        return false;
    }

    private boolean matchDate() {
        Matcher m = DATETIME.matcher(src).region(pos, src.length());
        if (m.lookingAt() && !continuesWord(m.end())) {
            add(TokenKind.DATETIME, pos, m.end(), src.substring(pos, m.end()));
            pos = m.end();
            return true;
        }
        return false;
    }

    private boolean continuesWord(int end) {
        return end < src.length() && (Character.isLetterOrDigit(src.charAt(end)) || src.charAt(end) == '_');
    }

    private boolean nextLineStartsStatement(int from) {
        int i = from;
        while (i < src.length() && (src.charAt(i) == ' ' || src.charAt(i) == '\t')) {
            i++;
        }
        if (i >= src.length()) {
            return true;
        }
        char c = src.charAt(i);
        if (c == '\n' || c == '\r' || c == '#' || c == ')' || c == '}') {
            return false;
        }
        return i - from <= indentOfLine(openBrackets.peekLast());
    }

    private int indentOfLine(int offset) {
        int start = src.lastIndexOf('\n', offset - 1) + 1;
        int i = start;
        while (i < offset && (src.charAt(i) == ' ' || src.charAt(i) == '\t')) {
            i++;
        }
        return i - start;
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private boolean startsWith(String s) {
        return src.startsWith(s, pos);
    }

    private void add(TokenKind kind, int start, int end, String text) {
        addValue(kind, start, end, text, text);
    }

    private void addValue(TokenKind kind, int start, int end, String value) {
        addValue(kind, start, end, src.substring(start, end), value);
    }

    private void addValue(TokenKind kind, int start, int end, String text, String value) {
        boolean first = atLineStart && kind != TokenKind.NEWLINE;
        tokens.add(new Token(kind, text, value, Span.of(file, start, end), first, first ? start - lineStartOffset : -1));
        if (first) {
            atLineStart = false;
        }
    }
}
