package io.dualsync.mapping.syntax;

import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.DiagnosticCode;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.Span;
import io.dualsync.mapping.expr.Expr;
import io.dualsync.mapping.syntax.Ast.Arrow;
import io.dualsync.mapping.Side;
import io.dualsync.mapping.syntax.TokenCursor.ParseError;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses a mapping file into an {@link Ast.MapFile}. Statements end at line breaks; a line that is
 * indented deeper than a field line and starts with a clause word ({@code |}, {@code to},
 * {@code values}, {@code default}, {@code as}, {@code conflict}) continues that field. On a syntax
 * error the statement is reported and skipped, and parsing resumes on the next line, so one run
 * reports every problem of the file.
 */
public final class Parser {
    private static final Set<String> CLAUSE_WORDS = Set.of("to", "values", "default", "as", "conflict");

    private final SourceFile file;
    private final TokenCursor in;
    private final List<Diagnostic> diagnostics;

    private Parser(SourceFile file, List<Token> tokens, List<Diagnostic> diagnostics) {
        this.file = file;
        this.diagnostics = diagnostics;
        List<Token> code = new ArrayList<>(tokens.size());
        for (Token t : tokens) {
            if (!t.is(TokenKind.COMMENT)) {
                code.add(t);
            }
        }
        this.in = new TokenCursor(code, file);
    }

    /** Parses a whole file; problems go to {@code diagnostics}, the tree holds what could be read. */
    public static Ast.MapFile parse(SourceFile file, List<Diagnostic> diagnostics) {
        List<Token> tokens = Lexer.tokenize(file, diagnostics);
        return new Parser(file, tokens, diagnostics).file();
    }

    private Ast.MapFile file() {
        List<Ast.MapDecl> maps = new ArrayList<>();
        while (true) {
            skipNewlines();
            if (in.at(TokenKind.EOF)) {
                break;
            }
            if (in.atWord("map")) {
                maps.add(map());
            } else {
                report(new ParseError(Diagnostic.error(DiagnosticCode.UNKNOWN_STATEMENT, in.peek().span(),
                        "expected `map NAME` to start a map, found " + in.peek().describe())
                        .withHint("a file holds maps: `map customers` followed by its lines")));
                skipLine();
            }
        }
        return new Ast.MapFile(file, List.copyOf(maps));
    }

    private Ast.MapDecl map() {
        int problemsBefore = diagnostics.size();
        Token mapWord = in.next();
        Ast.Ident name;
        try {
            Token n = in.expect(TokenKind.IDENT, "the map's name");
            name = new Ast.Ident(n.text(), n.span());
            endOfStatement();
        } catch (ParseError e) {
            report(e);
            skipLine();
            name = new Ast.Ident("", mapWord.span());
        }
        List<Ast.Item> items = new ArrayList<>();
        Span end = mapWord.span();
        while (true) {
            skipNewlines();
            Token t = in.peek();
            if (t.is(TokenKind.EOF) || (t.isWord("map") && t.lineStart() && t.indent() == 0)) {
                break;
            }
            try {
                Ast.Item item = item();
                items.add(item);
                end = item.span();
            } catch (ParseError e) {
                report(e);
                skipLine();
            }
        }
        return new Ast.MapDecl(name, mapWord.span().to(end), List.copyOf(items), diagnostics.size() == problemsBefore);
    }

    private Ast.Item item() {
        Token t = in.peek();
        Token after = in.peek(1);
        if ((t.isWord("fo") || t.isWord("dataverse")) && after.is(TokenKind.IDENT)) {
            return entity();
        }
        if (t.isWord("company") && after.is(TokenKind.IDENT)) {
            return company();
        }
        if (t.isWord("filter") && !isArrow(after)) {
            return filter();
        }
        if (t.isWord("event") && after.is(TokenKind.IDENT)) {
            return event();
        }
        if (t.isWord("conflict") && !isArrow(after)) {
            Token word = in.next();
            Ast.Policy policy = policy();
            endOfStatement();
            return new Ast.ConflictDecl(policy, word.span().to(policy.span()));
        }
        return field();
    }

    private Ast.EntityDecl entity() {
        Token word = in.next();
        Side side = word.text().equals("fo") ? Side.FO : Side.DATAVERSE;
        Token name = in.expect(TokenKind.IDENT, "the entity set name");
        if (!in.atWord("key")) {
            throw in.error("expected `key` and the integration key fields, found " + in.peek().describe());
        }
        in.next();
        List<Ast.Path> key = new ArrayList<>();
        key.add(path());
        while (in.accept(TokenKind.COMMA)) {
            key.add(path());
        }
        Span span = word.span().to(key.get(key.size() - 1).span());
        endOfStatement();
        return new Ast.EntityDecl(side, new Ast.Ident(name.text(), name.span()), List.copyOf(key), span);
    }

    private Ast.EventDecl event() {
        Token word = in.next();
        Token id = in.expect(TokenKind.IDENT, "the business event id");
        if (!in.atWord("key")) {
            throw new ParseError(Diagnostic.error(DiagnosticCode.SYNTAX, in.peek().span(),
                    "expected `key` and the key fields the event fills, found " + in.peek().describe())
                    .withHint("write `event " + id.text() + " key KeyField = EventField, ...`"));
        }
        in.next();
        List<Ast.EventKey> keys = new ArrayList<>();
        do {
            Ast.Path keyField = path();
            Token eq = in.peek();
            if (!eq.is(TokenKind.EQUALS)) {
                ParseError e = in.error("expected `=` between the F&O key field and the event field that fills it, found "
                        + eq.describe());
                throw isArrow(eq) || eq.is(TokenKind.EQ_EQ) ? new ParseError(e.diagnostic()
                        .withHint("an event fills key fields, it does not flow: `" + keyField.dotted() + " = EventField`")) : e;
            }
            in.next();
            Token field = in.expect(TokenKind.IDENT,
                    "a field of the event (a contract field, or an envelope field such as BusinessEventLegalEntity)");
            keys.add(new Ast.EventKey(keyField, new Ast.Ident(field.text(), field.span()), keyField.span().to(field.span())));
        } while (in.accept(TokenKind.COMMA));
        Span span = word.span().to(keys.get(keys.size() - 1).span());
        endOfStatement();
        return new Ast.EventDecl(new Ast.Ident(id.text(), id.span()), List.copyOf(keys), span);
    }

    private Ast.CompanyDecl company() {
        Token word = in.next();
        Ast.Path fo = path();
        Token arrow = in.next();
        if (!arrow.is(TokenKind.BOTH_ARROW)) {
            throw new ParseError(Diagnostic.error(DiagnosticCode.SYNTAX, arrow.span(),
                    "expected `<->` between the company fields, found " + arrow.describe())
                    .withHint("the company is part of the key and always flows both ways"));
        }
        Ast.Path dv = path();
        endOfStatement();
        return new Ast.CompanyDecl(fo, dv, word.span().to(dv.span()));
    }

    private Ast.FilterDecl filter() {
        Token word = in.next();
        Side side = side("filter");
        if (in.atEnd()) {
            throw in.error("expected a filter expression");
        }
        Expr expr = ExpressionParser.parseAll(in,
                side == Side.FO ? ExpressionParser.Dialect.FO : ExpressionParser.Dialect.ODATA);
        endOfStatement();
        return new Ast.FilterDecl(side, expr, word.span().to(expr.span()));
    }

    /** Reads `fo` or `dataverse` after the word {@code after}. */
    private Side side(String after) {
        Token word = in.peek();
        Side side = word.isWord("fo") ? Side.FO : word.isWord("dataverse") ? Side.DATAVERSE : null;
        if (side == null) {
            throw in.error("expected `fo` or `dataverse` after `" + after + "`, found " + word.describe());
        }
        in.next();
        return side;
    }

    private Ast.Policy policy() {
        Token name = in.expect(TokenKind.IDENT, "a conflict policy (fo-wins, dataverse-wins, last-writer-wins, merge, manual)");
        Ast.Ident tieBreak = null;
        Span span = name.span();
        if (in.atWord("tie-break")) {
            in.next();
            Token tb = in.expect(TokenKind.IDENT, "the tie-break policy");
            tieBreak = new Ast.Ident(tb.text(), tb.span());
            span = span.to(tb.span());
        }
        return new Ast.Policy(new Ast.Ident(name.text(), name.span()), tieBreak, span);
    }

    private Ast.FieldDecl field() {
        Token first = in.peek();
        int indent = first.lineStart() ? first.indent() : 0;
        Span noneSpan = null;
        Ast.Path fo = null;
        if (in.atWord("none")) {
            noneSpan = in.next().span();
        } else if (first.is(TokenKind.IDENT)) {
            fo = path();
        } else {
            throw in.error("expected a field line `FoField <-> dataverse_field`, found " + first.describe());
        }
        Token arrowToken = in.peek();
        Arrow arrow = switch (arrowToken.kind()) {
            case BOTH_ARROW -> Arrow.BOTH;
            case RIGHT_ARROW -> Arrow.TO_DATAVERSE;
            case LEFT_ARROW -> Arrow.TO_FO;
            default -> null;
        };
        if (arrow == null) {
            ParseError e = in.error("expected `<->`, `->` or `<-` after `" + first.text() + "`, found " + arrowToken.describe());
            if (arrowToken.is(TokenKind.EQUALS) || arrowToken.is(TokenKind.EQ_EQ)) {
                throw new ParseError(e.diagnostic().withHint("fields are paired with arrows: `<->` both ways, `->` to Dataverse, `<-` to F&O"));
            }
            throw e;
        }
        in.next();
        Ast.Path dv = null;
        if (in.atWord("none")) {
            Span s = in.next().span();
            if (noneSpan == null) {
                noneSpan = s;
            } else {
                throw new ParseError(Diagnostic.error(DiagnosticCode.NO_SOURCE, s,
                        "`none` on both sides maps nothing").withHint("name a field on at least one side"));
            }
        } else {
            dv = path();
        }
        List<Ast.Clause> clauses = new ArrayList<>();
        Span span = first.span().to(in.previous().span());
        while (true) {
            if (in.atEnd()) {
                if (!continuationFollows(indent)) {
                    break;
                }
                skipNewlines();
            }
            Ast.Clause c = clause();
            clauses.add(c);
            span = span.to(c.span());
        }
        endOfStatement();
        return new Ast.FieldDecl(fo, arrow, arrowToken.span(), dv, noneSpan, List.copyOf(clauses), span);
    }

    private boolean continuationFollows(int indent) {
        if (!in.at(TokenKind.NEWLINE)) {
            return false;
        }
        int i = 0;
        while (in.peek(i).is(TokenKind.NEWLINE)) {
            i++;
        }
        Token t = in.peek(i);
        return t.lineStart() && t.indent() > indent
                && (t.is(TokenKind.PIPE) || (t.is(TokenKind.IDENT) && CLAUSE_WORDS.contains(t.text())));
    }

    private Ast.Clause clause() {
        Token t = in.peek();
        if (t.is(TokenKind.PIPE)) {
            List<Ast.Call> calls = pipeline();
            return new Ast.PipelineClause(null, calls, t.span().to(calls.get(calls.size() - 1).span()));
        }
        if (t.isWord("as")) {
            in.next();
            Token type = in.expect(TokenKind.IDENT, "a type (string, integer, decimal, boolean, date, datetime, guid)");
            return new Ast.AsClause(new Ast.Ident(type.text(), type.span()), t.span().to(type.span()));
        }
        if (t.isWord("values")) {
            return values();
        }
        if (t.isWord("default")) {
            in.next();
            Expr.Literal value = literal("a default value");
            return new Ast.DefaultClause(null, value, t.span().to(value.span()));
        }
        if (t.isWord("to")) {
            in.next();
            Side side = side("to");
            if (in.atWord("default")) {
                in.next();
                Expr.Literal value = literal("a default value");
                return new Ast.DefaultClause(side, value, t.span().to(value.span()));
            }
            if (in.at(TokenKind.PIPE)) {
                List<Ast.Call> calls = pipeline();
                return new Ast.PipelineClause(side, calls, t.span().to(calls.get(calls.size() - 1).span()));
            }
            throw in.error("expected `default` or `|` after `to " + side.word() + "`, found " + in.peek().describe());
        }
        if (t.isWord("conflict")) {
            in.next();
            Ast.Policy policy = policy();
            return new Ast.FieldConflictClause(policy, t.span().to(policy.span()));
        }
        throw in.error("expected a clause (`|`, `values`, `default`, `to`, `as`, `conflict`) or the end of the line, found "
                + t.describe());
    }

    private List<Ast.Call> pipeline() {
        List<Ast.Call> calls = new ArrayList<>();
        while (in.at(TokenKind.PIPE)) {
            in.next();
            calls.add(call());
        }
        return calls;
    }

    private Ast.Call call() {
        Token name = in.expect(TokenKind.IDENT, "a transform name after `|`");
        Ast.Ident ident = new Ast.Ident(name.text(), name.span());
        if (name.text().equals("when")) {
            Expr cond = ExpressionParser.parse(in, ExpressionParser.Dialect.TRANSFORM);
            in.expectWord("then");
            Expr then = ExpressionParser.parse(in, ExpressionParser.Dialect.TRANSFORM);
            in.expectWord("else");
            Expr otherwise = ExpressionParser.parse(in, ExpressionParser.Dialect.TRANSFORM);
            return new Ast.Call(ident, List.of(cond, then, otherwise), name.span().to(otherwise.span()));
        }
        List<Expr> args = new ArrayList<>();
        Span span = name.span();
        if (in.at(TokenKind.LPAREN)) {
            in.next();
            if (!in.at(TokenKind.RPAREN)) {
                args.add(ExpressionParser.parse(in, ExpressionParser.Dialect.TRANSFORM));
                while (in.accept(TokenKind.COMMA)) {
                    args.add(ExpressionParser.parse(in, ExpressionParser.Dialect.TRANSFORM));
                }
            }
            span = span.to(in.expect(TokenKind.RPAREN, "`)` or `,`").span());
        }
        return new Ast.Call(ident, List.copyOf(args), span);
    }

    private Ast.ValuesClause values() {
        Token word = in.next();
        in.expect(TokenKind.LBRACE, "`{` after `values`");
        List<Ast.ValuePair> pairs = new ArrayList<>();
        while (!in.at(TokenKind.RBRACE)) {
            Expr.Literal fo = literal("an F&O value (an enum symbol or literal)");
            if (!in.accept(TokenKind.EQUALS)) {
                throw in.error("expected `=` between the F&O value and the Dataverse value, found " + in.peek().describe());
            }
            Expr.Literal dv = literal("a Dataverse value");
            pairs.add(new Ast.ValuePair(fo, dv, fo.span().to(dv.span())));
            if (!in.accept(TokenKind.COMMA)) {
                break;
            }
        }
        Token close = in.expect(TokenKind.RBRACE, "`,` or `}`");
        return new Ast.ValuesClause(List.copyOf(pairs), word.span().to(close.span()));
    }

    /** A literal: string, number, true, false, null, or a bare word (an enum symbol, kept as a string). */
    private Expr.Literal literal(String what) {
        Token t = in.peek();
        switch (t.kind()) {
            case STRING, GUID, DATETIME -> {
                in.next();
                return new Expr.Literal(t.value(), t.span());
            }
            case NUMBER -> {
                in.next();
                return new Expr.Literal(new BigDecimal(t.text()), t.span());
            }
            case MINUS -> {
                in.next();
                Token n = in.expect(TokenKind.NUMBER, "a number after `-`");
                return new Expr.Literal(new BigDecimal(n.text()).negate(), t.span().to(n.span()));
            }
            case IDENT -> {
                in.next();
                Object v = switch (t.text()) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    case "null" -> null;
                    default -> t.text();
                };
                return new Expr.Literal(v, t.span());
            }
            default -> throw in.error("expected " + what + ", found " + t.describe());
        }
    }

    private Ast.Path path() {
        Token first = in.expect(TokenKind.IDENT, "a field name");
        List<Ast.Ident> parts = new ArrayList<>();
        parts.add(new Ast.Ident(first.text(), first.span()));
        Span span = first.span();
        while (in.at(TokenKind.DOT)) {
            in.next();
            Token part = in.expect(TokenKind.IDENT, "a field name after `.`");
            parts.add(new Ast.Ident(part.text(), part.span()));
            span = span.to(part.span());
        }
        return new Ast.Path(List.copyOf(parts), span);
    }

    private static boolean isArrow(Token t) {
        return t.is(TokenKind.BOTH_ARROW) || t.is(TokenKind.RIGHT_ARROW) || t.is(TokenKind.LEFT_ARROW);
    }

    private void endOfStatement() {
        if (!in.atEnd()) {
            throw in.error("expected the end of the line, found " + in.peek().describe());
        }
    }

    private void skipNewlines() {
        while (in.accept(TokenKind.NEWLINE)) {
            // blank lines separate nothing
        }
    }

    private void skipLine() {
        while (!in.atEnd()) {
            in.next();
        }
    }

    private void report(ParseError e) {
        diagnostics.add(e.diagnostic());
    }
}
