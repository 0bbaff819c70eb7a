package io.dualsync.mapping.format;

import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.syntax.Lexer;
import io.dualsync.mapping.syntax.Parser;
import io.dualsync.mapping.syntax.Token;
import io.dualsync.mapping.syntax.TokenKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rewrites a mapping file into the one canonical layout, keeping every comment:
 * <ul>
 *   <li>{@code map} lines at column 0, statements indented 2, continuation clauses 4;</li>
 *   <li>one space between tokens ({@code a.b}, {@code f(x, y)}, {@code Enum::Value}, {@code { a = 1 }});</li>
 *   <li>in a run of field lines, the arrows, the right-hand fields and the clauses line up;
 *       the keywords of {@code fo}/{@code dataverse}/{@code company} lines line up;</li>
 *   <li>at most one blank line in a row, one before each map, none at the end.</li>
 * </ul>
 * Formatting is idempotent and never changes meaning ({@code parse(format(x))} compiles to the
 * same maps as {@code x}). A file with syntax errors is not formatted.
 */
public final class Formatter {
    private static final Set<String> CLAUSE_WORDS = Set.of("to", "values", "default", "as", "conflict");
    private static final Set<String> ALIGNED_KEYWORDS = Set.of("fo", "dataverse", "company");
    private static final int KEYWORD_WIDTH = "dataverse".length();

    private Formatter() {
    }

    /** The formatted text, or the syntax errors that prevent formatting. */
    public record Result(String text, List<Diagnostic> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    public static Result format(SourceFile file) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        Parser.parse(file, diagnostics);
        List<Diagnostic> errors = diagnostics.stream().filter(Diagnostic::isError).toList();
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        List<Token> tokens = Lexer.tokenize(file, new ArrayList<>());
        List<Line> lines = lines(tokens);
        classify(lines);
        return new Result(render(lines), List.of());
    }

    // ---- lines ----------------------------------------------------------------------------------

    private enum Kind { BLANK, COMMENT, MAP, STATEMENT, FIELD, CONTINUATION }

    private static final class Line {
        final List<Token> tokens;
        Kind kind;
        int indent;
        Token comment;
        /** Index of the arrow, and of the first clause token, for field lines. */
        int arrow = -1;
        int clauses = -1;

        Line(List<Token> tokens) {
            this.tokens = tokens;
        }

        Token first() {
            return tokens.get(0);
        }
    }

    private static List<Line> lines(List<Token> tokens) {
        List<Line> lines = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token t : tokens) {
            if (t.is(TokenKind.EOF)) {
                break;
            }
            if (t.is(TokenKind.NEWLINE)) {
                Line line = new Line(List.copyOf(current));
                if (current.isEmpty()) {
                    line.kind = Kind.BLANK;
                }
                lines.add(line);
                current.clear();
            } else {
                current.add(t);
            }
        }
        if (!current.isEmpty()) {
            lines.add(new Line(List.copyOf(current)));
        }
        return lines;
    }

    private static void classify(List<Line> lines) {
        boolean inMap = false;
        int fieldIndent = -1;
        for (Line line : lines) {
            if (line.kind == Kind.BLANK) {
                continue;
            }
            List<Token> ts = line.tokens;
            Token last = ts.get(ts.size() - 1);
            if (last.is(TokenKind.COMMENT)) {
                line.comment = last;
            }
            Token first = line.first();
            if (first.is(TokenKind.COMMENT)) {
                line.kind = Kind.COMMENT;
                continue;
            }
            if (first.isWord("map") && first.indent() == 0) {
                line.kind = Kind.MAP;
                inMap = true;
                fieldIndent = -1;
                continue;
            }
            boolean clauseStart = first.is(TokenKind.PIPE) || (first.is(TokenKind.IDENT) && CLAUSE_WORDS.contains(first.text()));
            if (fieldIndent >= 0 && first.indent() > fieldIndent && clauseStart) {
                line.kind = Kind.CONTINUATION;
                continue;
            }
            int arrow = arrowIndex(ts);
            if (arrow > 0 && isFieldStart(ts)) {
                line.kind = Kind.FIELD;
                line.arrow = arrow;
                line.clauses = clauseIndex(ts, arrow);
                fieldIndent = first.indent();
            } else {
                line.kind = Kind.STATEMENT;
                fieldIndent = -1;
            }
            line.indent = inMap ? 2 : 0;
        }
        // Comments take the indentation of what they describe: the next statement.
        int next = 0;
        for (int i = lines.size() - 1; i >= 0; i--) {
            Line l = lines.get(i);
            if (l.kind == Kind.COMMENT) {
                l.indent = next;
            } else if (l.kind == Kind.MAP) {
                next = 0;
            } else if (l.kind == Kind.FIELD || l.kind == Kind.STATEMENT) {
                next = l.indent;
            } else if (l.kind == Kind.CONTINUATION) {
                next = 4;
            }
        }
        for (Line l : lines) {
            if (l.kind == Kind.CONTINUATION) {
                l.indent = 4;
            }
        }
    }

    private static boolean isFieldStart(List<Token> ts) {
        Token first = ts.get(0);
        if (first.is(TokenKind.IDENT) && ALIGNED_KEYWORDS.contains(first.text()) && ts.size() > 1 && ts.get(1).is(TokenKind.IDENT)) {
            return false;
        }
        return first.is(TokenKind.IDENT) && !first.isWord("filter") && !first.isWord("conflict");
    }

    private static int arrowIndex(List<Token> ts) {
        for (int i = 0; i < ts.size(); i++) {
            TokenKind k = ts.get(i).kind();
            if (k == TokenKind.BOTH_ARROW || k == TokenKind.RIGHT_ARROW || k == TokenKind.LEFT_ARROW) {
                return i;
            }
            if (k != TokenKind.IDENT && k != TokenKind.DOT) {
                return -1;
            }
        }
        return -1;
    }

    private static int clauseIndex(List<Token> ts, int arrow) {
        int i = arrow + 1;
        while (i < ts.size() && (ts.get(i).is(TokenKind.IDENT) || ts.get(i).is(TokenKind.DOT))) {
            if (i > arrow + 1 && ts.get(i).is(TokenKind.IDENT) && !ts.get(i - 1).is(TokenKind.DOT)) {
                break;
            }
            i++;
        }
        return i;
    }

    // ---- rendering ------------------------------------------------------------------------------

    private static String render(List<Line> lines) {
        StringBuilder out = new StringBuilder();
        List<String> rendered = new ArrayList<>();
        boolean lastBlank = true;
        int i = 0;
        while (i < lines.size()) {
            Line l = lines.get(i);
            if (l.kind == Kind.BLANK) {
                if (!lastBlank) {
                    rendered.add("");
                    lastBlank = true;
                }
                i++;
                continue;
            }
            if (l.kind == Kind.MAP && (i == 0 || lines.get(i - 1).kind != Kind.COMMENT)
                    || l.kind == Kind.COMMENT && startsMapBlock(lines, i) && (i == 0 || lines.get(i - 1).kind != Kind.COMMENT)) {
                if (!lastBlank) {
                    rendered.add("");
                }
            }
            if (l.kind == Kind.FIELD || isAlignedStatement(l)) {
                int end = i;
                List<Line> block = new ArrayList<>();
                while (end < lines.size() && (lines.get(end).kind == l.kind && (l.kind == Kind.FIELD || isAlignedStatement(lines.get(end)))
                        || lines.get(end).kind == Kind.CONTINUATION || lines.get(end).kind == Kind.COMMENT && l.kind == Kind.FIELD
                        && end + 1 < lines.size() && lines.get(end + 1).kind == Kind.FIELD)) {
                    block.add(lines.get(end));
                    end++;
                }
                rendered.addAll(l.kind == Kind.FIELD ? fieldBlock(block) : keywordBlock(block));
                lastBlank = false;
                i = end;
                continue;
            }
            rendered.add(" ".repeat(l.indent) + join(l.tokens, 0, l.tokens.size()));
            lastBlank = false;
            i++;
        }
        while (!rendered.isEmpty() && rendered.get(rendered.size() - 1).isEmpty()) {
            rendered.remove(rendered.size() - 1);
        }
        for (String r : rendered) {
            out.append(r).append('\n');
        }
        return out.toString();
    }

    private static boolean startsMapBlock(List<Line> lines, int i) {
        int j = i;
        while (j < lines.size() && lines.get(j).kind == Kind.COMMENT) {
            j++;
        }
        return j < lines.size() && lines.get(j).kind == Kind.MAP;
    }

    private static boolean isAlignedStatement(Line l) {
        return l.kind == Kind.STATEMENT && l.first().is(TokenKind.IDENT) && ALIGNED_KEYWORDS.contains(l.first().text());
    }

    private static List<String> keywordBlock(List<Line> block) {
        List<String> out = new ArrayList<>();
        for (Line l : block) {
            if (l.kind != Kind.STATEMENT) {
                out.add(" ".repeat(l.indent) + join(l.tokens, 0, l.tokens.size()));
                continue;
            }
            String keyword = l.first().text();
            out.add(" ".repeat(l.indent) + pad(keyword, KEYWORD_WIDTH) + " " + join(l.tokens, 1, l.tokens.size()));
        }
        return out;
    }

    private static List<String> fieldBlock(List<Line> block) {
        int leftWidth = 0;
        int rightWidth = 0;
        int arrowWidth = 0;
        for (Line l : block) {
            if (l.kind != Kind.FIELD) {
                continue;
            }
            leftWidth = Math.max(leftWidth, join(l.tokens, 0, l.arrow).length());
            arrowWidth = Math.max(arrowWidth, l.tokens.get(l.arrow).text().length());
            if (l.clauses < l.tokens.size()) {
                rightWidth = Math.max(rightWidth, join(l.tokens, l.arrow + 1, l.clauses).length());
            }
        }
        List<String> out = new ArrayList<>();
        for (Line l : block) {
            if (l.kind != Kind.FIELD) {
                out.add(" ".repeat(l.indent) + join(l.tokens, 0, l.tokens.size()));
                continue;
            }
            StringBuilder b = new StringBuilder(" ".repeat(l.indent));
            b.append(pad(join(l.tokens, 0, l.arrow), leftWidth)).append(' ');
            b.append(pad(l.tokens.get(l.arrow).text(), arrowWidth)).append(' ');
            String right = join(l.tokens, l.arrow + 1, l.clauses);
            if (l.clauses < l.tokens.size()) {
                b.append(pad(right, rightWidth)).append(' ');
                String rest = join(l.tokens, l.clauses, l.tokens.size());
                b.append(rest.startsWith("#") ? " " + rest : rest);
            } else {
                b.append(right);
            }
            out.add(b.toString());
        }
        return out;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** Tokens {@code from..to} with canonical spacing; a trailing comment gets two spaces. */
    private static String join(List<Token> ts, int from, int to) {
        StringBuilder b = new StringBuilder();
        Token prev = null;
        for (int i = from; i < to; i++) {
            Token t = ts.get(i);
            if (t.is(TokenKind.COMMENT) && i < to - 1) {
                // A comment inside brackets: keep the statement as written from here on.
                b.append(t.span().file().text(), t.span().start(), ts.get(to - 1).span().end());
                return b.toString();
            }
            if (prev != null) {
                b.append(t.is(TokenKind.COMMENT) ? "  " : space(prev, t) ? " " : "");
            }
            b.append(t.text());
            prev = t;
        }
        return b.toString();
    }

    private static boolean space(Token prev, Token t) {
        TokenKind p = prev.kind();
        TokenKind k = t.kind();
        if (k == TokenKind.DOT || p == TokenKind.DOT || k == TokenKind.COLON_COLON || p == TokenKind.COLON_COLON) {
            return false;
        }
        if (k == TokenKind.COMMA || k == TokenKind.RPAREN || p == TokenKind.LPAREN || p == TokenKind.BANG) {
            return false;
        }
        if (k == TokenKind.LPAREN) {
            // `f(x)` is a call; `fo (a == b)` a parenthesised expression: keep what was written.
            return prev.span().end() != t.span().start();
        }
        if (p == TokenKind.MINUS && (k == TokenKind.NUMBER) && prev.span().end() == t.span().start()) {
            return false;
        }
        return true;
    }
}
