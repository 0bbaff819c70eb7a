package io.dualsync.mapping.syntax;

import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.expr.Expr;
import io.dualsync.mapping.expr.ExprCompiler;
import io.dualsync.mapping.expr.ExprPrinter;
import io.dualsync.mapping.expr.Values;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Both filter languages parse into one tree that is evaluated against records. */
class ExpressionParserTest {

    private static Expr parse(String text, ExpressionParser.Dialect dialect) {
        SourceFile f = new SourceFile("f", text);
        List<Diagnostic> d = new ArrayList<>();
        List<Token> tokens = Lexer.tokenize(f, d).stream().filter(t -> !t.is(TokenKind.COMMENT)).toList();
        assertThat(d).isEmpty();
        return ExpressionParser.parseAll(new TokenCursor(tokens, f), dialect);
    }

    private static boolean eval(Expr e, Map<String, ?> record) {
        return Values.isTrue(ExprCompiler.compile(e).apply(record, null));
    }

    @Test
    void foQueryRange_precedenceParenthesesAndEnums() {
        Expr e = parse("((AccountType == AccountType::Customer) || Balance >= 10.5 && !(Blocked == \"Yes\"))", ExpressionParser.Dialect.FO);
        assertThat(ExprPrinter.fo(e)).isEqualTo("AccountType == AccountType::Customer || Balance >= 10.5 && !(Blocked == \"Yes\")");
        assertThat(eval(e, Map.of("AccountType", "Customer", "Balance", 0, "Blocked", "Yes"))).isTrue();
        assertThat(eval(e, Map.of("AccountType", "Vendor", "Balance", new BigDecimal("11"), "Blocked", "No"))).isTrue();
        assertThat(eval(e, Map.of("AccountType", "Vendor", "Balance", 11, "Blocked", "Yes"))).isFalse();
        assertThat(eval(e, Map.of("AccountType", "Vendor", "Balance", 1, "Blocked", "No"))).isFalse();
    }

    @Test
    void odata_operatorsFunctionsGuidsAndNull() {
        Expr e = parse("(statecode eq 0 and _parentaccountid_value ne null) or (not (numberofemployees le 1000) and startswith(name,'Con'))"
                + " or accountid eq 7a4814f9-b0b8-ea11-a812-000d3a122b89", ExpressionParser.Dialect.ODATA);
        assertThat(ExprPrinter.odata(e)).isEqualTo("statecode eq 0 and _parentaccountid_value ne null or not (numberofemployees le 1000)"
                + " and startswith(name, 'Con') or accountid eq 7a4814f9-b0b8-ea11-a812-000d3a122b89");
        assertThat(eval(e, Map.of("statecode", 0, "_parentaccountid_value", "x"))).isTrue();
        assertThat(eval(e, Map.of("statecode", 1, "numberofemployees", 5000, "name", "contoso"))).isTrue();
        assertThat(eval(e, Map.of("statecode", 1, "numberofemployees", 50, "name", "Contoso"))).isFalse();
        assertThat(eval(e, Map.of("accountid", "7A4814F9-B0B8-EA11-A812-000D3A122B89"))).isTrue();
        assertThat(eval(e, Map.of("statecode", 0))).as("a missing lookup is null").isFalse();
    }

    @Test
    void wrongDialectOperators_areRefusedWithTheRightSpelling() {
        assertThatThrownBy(() -> parse("name == 'x'", ExpressionParser.Dialect.ODATA))
                .isInstanceOfSatisfying(TokenCursor.ParseError.class, e -> assertThat(e.diagnostic().hint()).isEqualTo("write `eq`"));
        assertThatThrownBy(() -> parse("a eq 1 && b eq 2", ExpressionParser.Dialect.ODATA))
                .isInstanceOfSatisfying(TokenCursor.ParseError.class, e -> assertThat(e.diagnostic().hint()).contains("`and`"));
        assertThatThrownBy(() -> parse("name eq \"x\"", ExpressionParser.Dialect.ODATA))
                .isInstanceOfSatisfying(TokenCursor.ParseError.class, e -> assertThat(e.diagnostic().message()).contains("single quotes"));
        assertThatThrownBy(() -> parse("A == 1 and B == 2", ExpressionParser.Dialect.FO))
                .isInstanceOfSatisfying(TokenCursor.ParseError.class, e -> assertThat(e.diagnostic().hint()).contains("`&&`"));
    }

    @Test
    void odataStrings_doubleQuotesToEscape() {
        Expr e = parse("name eq 'O''Neil'", ExpressionParser.Dialect.ODATA);
        assertThat(eval(e, Map.of("name", "O'Neil"))).isTrue();
        assertThat(ExprPrinter.odata(e)).isEqualTo("name eq 'O''Neil'");
    }
}
