package io.dualsync.mapping.syntax;

import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.DiagnosticCode;
import io.dualsync.mapping.Span;
import io.dualsync.mapping.expr.Expr;
import io.dualsync.mapping.syntax.TokenCursor.ParseError;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Parses the two expression languages a map embeds into one {@link Expr} tree:
 * <ul>
 *   <li>{@link Dialect#FO}: F&O query-range expressions ({@code ==, !=, <, <=, >, >=, &&, ||, !},
 *       parentheses, {@code Enum::Value}); also used for transform arguments, where {@code value}
 *       names the value flowing through the pipeline;</li>
 *   <li>{@link Dialect#ODATA}: Dataverse OData {@code $filter} ({@code eq ne gt ge lt le and or not},
 *       parentheses, {@code contains/startswith/endswith}, single-quoted strings, guids, dates).</li>
 * </ul>
 * Writing one dialect's operator in the other is reported with the right spelling as a hint.
 */
public final class ExpressionParser {

    public enum Dialect { FO, ODATA, TRANSFORM }

    private static final Map<String, Expr.Op> ODATA_COMPARISONS = Map.of(
            "eq", Expr.Op.EQ, "ne", Expr.Op.NE, "lt", Expr.Op.LT, "le", Expr.Op.LE, "gt", Expr.Op.GT, "ge", Expr.Op.GE);
    private static final Set<String> ODATA_FUNCTIONS = Set.of("contains", "startswith", "endswith");

    private final TokenCursor in;
    private final Dialect dialect;

    private ExpressionParser(TokenCursor in, Dialect dialect) {
        this.in = in;
        this.dialect = dialect;
    }

    /** Parses one whole expression; everything up to the end of the statement must belong to it. */
    public static Expr parseAll(TokenCursor in, Dialect dialect) {
        ExpressionParser p = new ExpressionParser(in, dialect);
        Expr e = p.or();
        if (!in.atEnd()) {
            throw p.unexpected("expected the end of the filter");
        }
        return e;
    }

    /** Parses one expression and leaves the cursor after it (transform arguments). */
    public static Expr parse(TokenCursor in, Dialect dialect) {
        return new ExpressionParser(in, dialect).or();
    }

    private Expr or() {
        Expr left = and();
        while (acceptOp(TokenKind.OR_OR, "or")) {
            Expr right = and();
            left = new Expr.Binary(Expr.Op.OR, left, right, left.span().to(right.span()));
        }
        return left;
    }

    private Expr and() {
        Expr left = unary();
        while (acceptOp(TokenKind.AND_AND, "and")) {
            Expr right = unary();
            left = new Expr.Binary(Expr.Op.AND, left, right, left.span().to(right.span()));
        }
        return left;
    }

    private Expr unary() {
        Token t = in.peek();
        if (dialect == Dialect.ODATA ? t.isWord("not") : t.is(TokenKind.BANG)) {
            in.next();
            Expr operand = unary();
            return new Expr.Not(operand, t.span().to(operand.span()));
        }
        if (dialect != Dialect.ODATA && t.isWord("not")) {
            throw new ParseError(Diagnostic.error(DiagnosticCode.SYNTAX, t.span(), "`not` is OData; F&O filters write `!`"));
        }
        if (dialect == Dialect.ODATA && t.is(TokenKind.BANG)) {
            throw new ParseError(Diagnostic.error(DiagnosticCode.SYNTAX, t.span(), "`!` is F&O syntax; OData filters write `not`"));
        }
        return comparison();
    }

    private Expr comparison() {
        Expr left = primary();
        Expr.Op op = comparisonOp();
        if (op == null) {
            return left;
        }
        Expr right = primary();
        return new Expr.Binary(op, left, right, left.span().to(right.span()));
    }

    private Expr.Op comparisonOp() {
        Token t = in.peek();
        if (dialect == Dialect.ODATA) {
            if (t.kind() == TokenKind.IDENT && ODATA_COMPARISONS.containsKey(t.text())) {
                in.next();
                return ODATA_COMPARISONS.get(t.text());
            }
            Expr.Op wrong = foOp(t.kind());
            if (wrong != null || t.is(TokenKind.EQUALS)) {
                String right = wrong == null ? "eq" : wrong.odataSymbol();
                throw new ParseError(Diagnostic.error(DiagnosticCode.SYNTAX, t.span(),
                        "`" + t.text() + "` is not an OData operator").withHint("write `" + right + "`"));
            }
            return null;
        }
        Expr.Op op = foOp(t.kind());
        if (op != null) {
            in.next();
            return op;
        }
        if (t.is(TokenKind.EQUALS)) {
            throw new ParseError(Diagnostic.error(DiagnosticCode.SYNTAX, t.span(), "`=` is not a comparison")
                    .withHint("write `==`"));
        }
        if (t.kind() == TokenKind.IDENT && ODATA_COMPARISONS.containsKey(t.text())) {
            throw new ParseError(Diagnostic.error(DiagnosticCode.SYNTAX, t.span(),
                    "`" + t.text() + "` is OData; F&O filters compare with symbols")
                    .withHint("write `" + ODATA_COMPARISONS.get(t.text()).foSymbol() + "`"));
        }
        return null;
    }

    private static Expr.Op foOp(TokenKind kind) {
        return switch (kind) {
            case EQ_EQ -> Expr.Op.EQ;
            case NOT_EQ -> Expr.Op.NE;
            case LT -> Expr.Op.LT;
            case LT_EQ -> Expr.Op.LE;
            case GT -> Expr.Op.GT;
            case GT_EQ -> Expr.Op.GE;
            default -> null;
        };
    }

    private boolean acceptOp(TokenKind foKind, String odataWord) {
        Token t = in.peek();
        if (dialect == Dialect.ODATA) {
            if (t.isWord(odataWord)) {
                in.next();
                return true;
            }
            if (t.is(foKind)) {
                throw new ParseError(Diagnostic.error(DiagnosticCode.SYNTAX, t.span(),
                        "`" + t.text() + "` is F&O syntax").withHint("OData filters write `" + odataWord + "`"));
            }
            return false;
        }
        if (t.is(foKind)) {
            in.next();
            return true;
        }
        if (t.isWord(odataWord)) {
            throw new ParseError(Diagnostic.error(DiagnosticCode.SYNTAX, t.span(),
                    "`" + odataWord + "` is OData").withHint("F&O filters write `" + foKind.symbol() + "`"));
        }
        return false;
    }

    private Expr primary() {
        Token t = in.peek();
        switch (t.kind()) {
            case LPAREN -> {
                in.next();
                Expr inner = or();
                in.expect(TokenKind.RPAREN, "`)`");
                return inner;
            }
            case STRING -> {
                in.next();
                if (dialect == Dialect.ODATA && !t.singleQuoted()) {
                    throw new ParseError(Diagnostic.error(DiagnosticCode.SYNTAX, t.span(),
                            "OData strings are written in single quotes").withHint("write '" + t.value().replace("'", "''") + "'"));
                }
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
            case GUID, DATETIME -> {
                in.next();
                return new Expr.Literal(t.text(), t.span());
            }
            case IDENT -> {
                return identifier();
            }
            default -> throw unexpected("expected a field, a value or `(`");
        }
    }

    private Expr identifier() {
        Token t = in.next();
        switch (t.text()) {
            case "true" -> {
                return new Expr.Literal(Boolean.TRUE, t.span());
            }
            case "false" -> {
                return new Expr.Literal(Boolean.FALSE, t.span());
            }
            case "null" -> {
                return new Expr.Literal(null, t.span());
            }
            default -> {
            }
        }
        if (dialect == Dialect.TRANSFORM && t.text().equals("value")) {
            return new Expr.Value(t.span());
        }
        if (dialect != Dialect.ODATA && in.at(TokenKind.COLON_COLON)) {
            in.next();
            Token symbol = in.expect(TokenKind.IDENT, "an enum value after `::`");
            return new Expr.EnumLiteral(t.text(), symbol.text(), t.span().to(symbol.span()));
        }
        if (dialect == Dialect.ODATA && in.at(TokenKind.LPAREN)) {
            if (!ODATA_FUNCTIONS.contains(t.text())) {
                throw new ParseError(Diagnostic.error(DiagnosticCode.SYNTAX, t.span(),
                        "unsupported OData function `" + t.text() + "`").withHint("use contains, startswith or endswith"));
            }
            in.next();
            List<Expr> args = new ArrayList<>();
            args.add(or());
            in.expect(TokenKind.COMMA, "`,`");
            args.add(or());
            Token close = in.expect(TokenKind.RPAREN, "`)`");
            return new Expr.Call(t.text(), args, t.span().to(close.span()));
        }
        List<String> path = new ArrayList<>();
        path.add(t.text());
        Span span = t.span();
        while (in.at(TokenKind.DOT)) {
            in.next();
            Token part = in.expect(TokenKind.IDENT, "a field name after `.`");
            path.add(part.text());
            span = span.to(part.span());
        }
        return new Expr.Field(List.copyOf(path), span);
    }

    private ParseError unexpected(String message) {
        return in.error(message + ", found " + in.peek().describe());
    }
}
