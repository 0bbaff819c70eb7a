package io.dualsync.mapping.expr;

import io.dualsync.mapping.Span;

import java.util.List;

/**
 * Expressions of filters and transform arguments, parsed once from either filter language into
 * this one tree. Literal values are {@code String}, {@code java.math.BigDecimal}, {@code Boolean}
 * or {@code null}.
 */
public sealed interface Expr {
    Span span();

    /** A field of the record, possibly through lookups: {@code msdyn_customergroupid.msdyn_groupid}. */
    record Field(List<String> path, Span span) implements Expr {
        public String dotted() {
            return String.join(".", path);
        }
    }

    /** The value flowing through a transform pipeline ({@code value}). */
    record Value(Span span) implements Expr {
    }

    record Literal(Object value, Span span) implements Expr {
    }

    /** An F&O enum literal {@code AccountType::Customer}; compares by symbol. */
    record EnumLiteral(String enumName, String symbol, Span span) implements Expr {
    }

    record Binary(Op op, Expr left, Expr right, Span span) implements Expr {
    }

    record Not(Expr operand, Span span) implements Expr {
    }

    /** A function: OData {@code contains/startswith/endswith}. */
    record Call(String function, List<Expr> args, Span span) implements Expr {
    }

    enum Op {
        EQ("==", "eq"), NE("!=", "ne"), LT("<", "lt"), LE("<=", "le"), GT(">", "gt"), GE(">=", "ge"),
        AND("&&", "and"), OR("||", "or");

        private final String foSymbol;
        private final String odataSymbol;

        Op(String foSymbol, String odataSymbol) {
            this.foSymbol = foSymbol;
            this.odataSymbol = odataSymbol;
        }

        public String foSymbol() {
            return foSymbol;
        }

        public String odataSymbol() {
            return odataSymbol;
        }

        public boolean isComparison() {
            return this != AND && this != OR;
        }
    }
}
