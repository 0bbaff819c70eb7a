package io.dualsync.mapping.syntax;

import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.SourceFile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The statements of a map as the parser reads them; here the {@code event} line. */
class ParserTest {
    private static final String HEAD = """
            map customers
              fo CustomersV3 key dataAreaId, CustomerAccount
              dataverse accounts key accountnumber
            """;

    private final List<Diagnostic> diagnostics = new ArrayList<>();

    private Ast.MapDecl parse(String body) {
        Ast.MapFile file = Parser.parse(new SourceFile("t.map", HEAD + body), diagnostics);
        assertThat(file.maps()).hasSize(1);
        return file.maps().get(0);
    }

    private static <T extends Ast.Item> List<T> items(Ast.MapDecl map, Class<T> type) {
        return map.items().stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void eventLine_readsTheIdAndEachKeyFieldWithItsEventFieldInOrder() {
        Ast.MapDecl map = parse("""
                  event CustomerChangedBusinessEvent key dataAreaId = BusinessEventLegalEntity, CustomerAccount = AccountNum
                  CustomerAccount <-> accountnumber
                """);

        assertThat(diagnostics).isEmpty();
        assertThat(map.complete()).isTrue();
        Ast.EventDecl e = items(map, Ast.EventDecl.class).get(0);
        assertThat(e.id().text()).isEqualTo("CustomerChangedBusinessEvent");
        assertThat(e.keys()).extracting(k -> k.keyField().dotted() + "=" + k.eventField().text())
                .containsExactly("dataAreaId=BusinessEventLegalEntity", "CustomerAccount=AccountNum");
        assertThat(e.span().text())
                .isEqualTo("event CustomerChangedBusinessEvent key dataAreaId = BusinessEventLegalEntity, CustomerAccount = AccountNum");
        assertThat(e.keys().get(1).span().text()).isEqualTo("CustomerAccount = AccountNum");
        assertThat(items(map, Ast.FieldDecl.class)).hasSize(1);
    }

    @Test
    void severalEventLines_areSeveralStatements() {
        Ast.MapDecl map = parse("""
                  event CustomerChangedBusinessEvent key dataAreaId = BusinessEventLegalEntity, CustomerAccount = CustomerAccount
                  event CustomerCreditLimitChangedBusinessEvent key dataAreaId = dataAreaId, CustomerAccount = CustomerAccount
                """);

        assertThat(diagnostics).isEmpty();
        assertThat(items(map, Ast.EventDecl.class)).extracting(e -> e.id().text())
                .containsExactly("CustomerChangedBusinessEvent", "CustomerCreditLimitChangedBusinessEvent");
    }

    @Test
    void aFieldNamedEvent_isStillAFieldLine() {
        Ast.MapDecl map = parse("""
                  event <-> msdyn_event
                  event.code -> msdyn_eventcode
                """);

        assertThat(diagnostics).isEmpty();
        assertThat(items(map, Ast.EventDecl.class)).isEmpty();
        assertThat(items(map, Ast.FieldDecl.class)).extracting(f -> f.fo().dotted()).containsExactly("event", "event.code");
    }

    @Test
    void eventWithAnArrowInsteadOfEquals_isASyntaxErrorAtTheArrow_andTheMapIsIncomplete() {
        Ast.MapDecl map = parse("""
                  event CustomerChangedBusinessEvent key dataAreaId <-> BusinessEventLegalEntity
                  CustomerAccount <-> accountnumber
                """);

        assertThat(diagnostics).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("E003");
            assertThat(d.span().text()).isEqualTo("<->");
            assertThat(d.hint()).isEqualTo("an event fills key fields, it does not flow: `dataAreaId = EventField`");
        });
        assertThat(map.complete()).isFalse();
        // Parsing goes on with the next line.
        assertThat(items(map, Ast.FieldDecl.class)).hasSize(1);
    }

    @Test
    void eventWithoutKey_saysWhatToWrite() {
        parse("  event CustomerChangedBusinessEvent CustomerAccount = CustomerAccount\n");

        assertThat(diagnostics).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("E003");
            assertThat(d.span().text()).isEqualTo("CustomerAccount");
            assertThat(d.hint()).isEqualTo("write `event CustomerChangedBusinessEvent key KeyField = EventField, ...`");
        });
    }

    @Test
    void eventEndingAfterAComma_isASyntaxError() {
        parse("  event CustomerChangedBusinessEvent key CustomerAccount = CustomerAccount,\n");

        assertThat(diagnostics).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("E003");
            assertThat(d.message()).isEqualTo("expected a field name, found end of line");
        });
    }
}
