package io.dualsync.mapping.expr;

import java.math.BigDecimal;

/**
 * Writes an expression back in one canonical form of its dialect, with only the parentheses
 * precedence needs: {@code PartyType == "Organization"}, {@code customertypecode eq 3}.
 */
public final class ExprPrinter {
    private ExprPrinter() {
    }

    public static String fo(Expr e) {
        return print(e, false, 0);
    }

    public static String odata(Expr e) {
        return print(e, true, 0);
    }

    private static int precedence(Expr e) {
        if (e instanceof Expr.Binary b) {
            return switch (b.op()) {
                case OR -> 1;
                case AND -> 2;
                default -> 3;
            };
        }
        return e instanceof Expr.Not ? 4 : 5;
    }

    private static String print(Expr e, boolean odata, int outer) {
        String s;
        if (e instanceof Expr.Binary b) {
            int p = precedence(b);
            // Comparisons do not chain: their operands are always printed at a higher level.
            int left = b.op().isComparison() ? p + 1 : p;
            String op = odata ? b.op().odataSymbol() : b.op().foSymbol();
            s = print(b.left(), odata, left) + " " + op + " " + print(b.right(), odata, p + 1);
            return p < outer ? "(" + s + ")" : s;
        }
        if (e instanceof Expr.Not n) {
            s = (odata ? "not " : "!") + print(n.operand(), odata, 4);
            return 4 < outer ? "(" + s + ")" : s;
        }
        if (e instanceof Expr.Call c) {
            return c.function() + "(" + print(c.args().get(0), odata, 0) + ", " + print(c.args().get(1), odata, 0) + ")";
        }
        if (e instanceof Expr.Field f) {
            return f.dotted();
        }
        if (e instanceof Expr.Value) {
            return "value";
        }
        if (e instanceof Expr.EnumLiteral en) {
            return en.enumName() + "::" + en.symbol();
        }
        Object v = ((Expr.Literal) e).value();
        if (v instanceof String str) {
            if (odata) {
                // Guids and dates are bare in OData.
                if (str.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
                        || str.matches("\\d{4}-\\d{2}-\\d{2}.*")) {
                    return str;
                }
                return "'" + str.replace("'", "''") + "'";
            }
            return Values.show(str);
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return String.valueOf(v);
    }
}
