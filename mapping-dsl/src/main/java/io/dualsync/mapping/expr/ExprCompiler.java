package io.dualsync.mapping.expr;

import java.util.List;
import java.util.Locale;

/** Compiles an {@link Expr} once into a {@link ValueFn}: no tree walking or parsing per record. */
public final class ExprCompiler {
    private ExprCompiler() {
    }

    public static ValueFn compile(Expr e) {
        if (e instanceof Expr.Literal lit) {
            Object v = lit.value();
            return (r, x) -> v;
        }
        if (e instanceof Expr.EnumLiteral en) {
            String symbol = en.symbol();
            return (r, x) -> symbol;
        }
        if (e instanceof Expr.Value) {
            return (r, x) -> x;
        }
        if (e instanceof Expr.Field f) {
            String[] path = f.path().toArray(new String[0]);
            if (path.length == 1) {
                String name = path[0];
                return (r, x) -> r.get(name);
            }
            return (r, x) -> Values.read(r, path);
        }
        if (e instanceof Expr.Not n) {
            ValueFn inner = compile(n.operand());
            return (r, x) -> !Values.isTrue(inner.apply(r, x));
        }
        if (e instanceof Expr.Call c) {
            return call(c);
        }
        Expr.Binary b = (Expr.Binary) e;
        ValueFn l = compile(b.left());
        ValueFn rr = compile(b.right());
        return switch (b.op()) {
            case AND -> (r, x) -> Values.isTrue(l.apply(r, x)) && Values.isTrue(rr.apply(r, x));
            case OR -> (r, x) -> Values.isTrue(l.apply(r, x)) || Values.isTrue(rr.apply(r, x));
            case EQ -> (r, x) -> Values.equal(l.apply(r, x), rr.apply(r, x));
            case NE -> (r, x) -> !Values.equal(l.apply(r, x), rr.apply(r, x));
            case LT -> (r, x) -> ordered(l.apply(r, x), rr.apply(r, x), -1, false);
            case LE -> (r, x) -> ordered(l.apply(r, x), rr.apply(r, x), -1, true);
            case GT -> (r, x) -> ordered(l.apply(r, x), rr.apply(r, x), 1, false);
            case GE -> (r, x) -> ordered(l.apply(r, x), rr.apply(r, x), 1, true);
        };
    }

    private static boolean ordered(Object a, Object b, int sign, boolean orEqual) {
        Integer c = Values.compareOrNull(a, b);
        if (c == null) {
            return false;
        }
        return c == 0 ? orEqual : Integer.signum(c) == sign;
    }

    private static ValueFn call(Expr.Call c) {
        List<Expr> args = c.args();
        ValueFn haystack = compile(args.get(0));
        ValueFn needle = compile(args.get(1));
        return switch (c.function()) {
            case "contains" -> (r, x) -> test(haystack.apply(r, x), needle.apply(r, x), 0);
            case "startswith" -> (r, x) -> test(haystack.apply(r, x), needle.apply(r, x), 1);
            case "endswith" -> (r, x) -> test(haystack.apply(r, x), needle.apply(r, x), 2);
            default -> throw new IllegalArgumentException("unknown function " + c.function());
        };
    }

    private static boolean test(Object hay, Object needle, int mode) {
        if (hay == null || needle == null) {
            return false;
        }
        String h = hay.toString().toLowerCase(Locale.ROOT);
        String n = needle.toString().toLowerCase(Locale.ROOT);
        return switch (mode) {
            case 0 -> h.contains(n);
            case 1 -> h.startsWith(n);
            default -> h.endsWith(n);
        };
    }
}
