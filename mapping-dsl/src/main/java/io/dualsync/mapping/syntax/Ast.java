package io.dualsync.mapping.syntax;

import io.dualsync.mapping.Side;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.Span;
import io.dualsync.mapping.expr.Expr;

import java.util.List;

/**
 * The syntax tree of a mapping file, exactly as written: nothing is resolved or checked yet.
 * Every node carries the span of its text. F&O is always on the left of a field line and
 * Dataverse on the right; arrows say which way values flow.
 */
public final class Ast {
    private Ast() {
    }

    /** Which way a field flows: {@code <->}, {@code ->} (F&O to Dataverse), {@code <-} (Dataverse to F&O). */
    public enum Arrow {
        BOTH("<->"), TO_DATAVERSE("->"), TO_FO("<-");

        private final String symbol;

        Arrow(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        public boolean flowsTo(Side target) {
            return this == BOTH || (target == Side.DATAVERSE ? this == TO_DATAVERSE : this == TO_FO);
        }
    }

    public record MapFile(SourceFile file, List<MapDecl> maps) {
    }

    public record Ident(String text, Span span) {
    }

    /** A dotted path: a field, or a lookup column followed by the related table's key column. */
    public record Path(List<Ident> parts, Span span) {
        public String dotted() {
            StringBuilder b = new StringBuilder();
            for (Ident p : parts) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(p.text());
            }
            return b.toString();
        }

        public String head() {
            return parts.get(0).text();
        }

        public boolean isLookup() {
            return parts.size() > 1;
        }
    }

    /** A map; {@code complete} is false when some of its lines had syntax errors and were skipped. */
    public record MapDecl(Ident name, Span span, List<Item> items, boolean complete) {
    }

    /** A statement inside a map. */
    public sealed interface Item {
        Span span();
    }

    /** {@code fo CustomersV3 key dataAreaId, CustomerAccount} or {@code dataverse accounts key ...}. */
    public record EntityDecl(Side side, Ident entitySet, List<Path> key, Span span) implements Item {
    }

    /** {@code company dataAreaId <-> msdyn_company.cdm_companycode}. */
    public record CompanyDecl(Path fo, Path dataverse, Span span) implements Item {
    }

    /** {@code filter fo (PartyType == "Organization")}: the source filter of one side. */
    public record FilterDecl(Side side, Expr expr, Span span) implements Item {
    }

    /** {@code conflict merge tie-break fo-wins}. */
    public record ConflictDecl(Policy policy, Span span) implements Item {
    }

    /**
     * {@code event CustomerChangedBusinessEvent key dataAreaId = BusinessEventLegalEntity, CustomerAccount = CustomerAccount}:
     * an F&O business event that announces changes to the map's F&O entity, and which of its fields
     * (contract or envelope) fills each key field of the entity.
     */
    public record EventDecl(Ident id, List<EventKey> keys, Span span) implements Item {
    }

    /** {@code CustomerAccount = CustomerAccount}: an F&O key field and the event field that fills it. */
    public record EventKey(Path keyField, Ident eventField, Span span) {
    }

    /** A conflict policy as written; {@code tieBreak} only for {@code merge}. */
    public record Policy(Ident name, Ident tieBreak, Span span) {
    }

    /**
     * One field line. {@code fo} or {@code dataverse} is {@code null} where the line says
     * {@code none}; {@code noneSpan} then points at that word.
     */
    public record FieldDecl(Path fo, Arrow arrow, Span arrowSpan, Path dataverse, Span noneSpan,
                            List<Clause> clauses, Span span) implements Item {
    }

    /** What may follow a field line's two sides. */
    public sealed interface Clause {
        Span span();
    }

    /** {@code as decimal}: the type values are coerced to on the way. */
    public record AsClause(Ident type, Span span) implements Clause {
    }

    /** {@code values { No = 0, Yes = 1, Never = null }}: F&O value on the left, Dataverse on the right. */
    public record ValuesClause(List<ValuePair> pairs, Span span) implements Clause {
    }

    public record ValuePair(Expr.Literal fo, Expr.Literal dataverse, Span span) {
    }

    /** {@code default 3} or {@code to fo default "en-us"}; {@code to} is null when not written. */
    public record DefaultClause(Side to, Expr.Literal value, Span span) implements Clause {
    }

    /** {@code | trim | upper} or {@code to dataverse | upper}; {@code to} is null when not written. */
    public record PipelineClause(Side to, List<Call> calls, Span span) implements Clause {
    }

    /** {@code conflict fo-wins}: overrides the map's policy for this field. */
    public record FieldConflictClause(Policy policy, Span span) implements Clause {
    }

    /** A transform: {@code trim}, {@code substring(0, 10)}, {@code when value == "" then null else value}. */
    public record Call(Ident name, List<Expr> args, Span span) {
    }
}
