package io.dualsync.emulator.odata;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FilterTest {

    private static boolean test(String filter, Map<String, Object> row) {
        return Filter.parse(filter).test(row::get);
    }

    @Test
    void comparisonsLogicAndPrecedence() {
        Map<String, Object> row = Map.of("name", "Contoso", "numberofemployees", 1500L, "statecode", 0L);
        assertThat(test("numberofemployees gt 1000 and numberofemployees le 2000", row)).isTrue();
        assertThat(test("statecode eq 1 or name eq 'contoso'", row)).as("text ignores case").isTrue();
        assertThat(test("not (statecode eq 0)", row)).isFalse();
        assertThat(test("statecode eq 1 or statecode eq 0 and name ne 'Contoso'", row)).as("and binds tighter").isFalse();
        assertThat(test("creditlimit eq 1.5M", Map.of("creditlimit", new BigDecimal("1.50")))).isTrue();
    }

    @Test
    void literalsNullGuidsDatesAndEnums() {
        Map<String, Object> row = new HashMap<>();
        row.put("_parentaccountid_value", null);
        row.put("accountid", "7a4814f9-b0b8-ea11-a812-000d3a122b89");
        row.put("modifiedon", "2024-05-01T10:00:00Z");
        row.put("IsOneTimeCustomer", "Yes");
        row.put("name", "O'Neil");
        assertThat(test("_parentaccountid_value eq null", row)).isTrue();
        assertThat(test("accountid eq 7A4814F9-B0B8-EA11-A812-000D3A122B89", row)).isTrue();
        assertThat(test("modifiedon gt 2024-01-01T00:00:00Z", row)).isTrue();
        assertThat(test("IsOneTimeCustomer eq Microsoft.Dynamics.DataEntities.NoYes'Yes'", row)).isTrue();
        assertThat(test("name eq 'O''Neil' and startswith(name,'o') and contains(tolower(name), 'neil')", row)).isTrue();
    }

    @Test
    void fieldsAreListedForValidation_andBadSyntaxIsRefused() {
        assertThat(Filter.parse("a eq 1 and (b ne 'x' or contains(c,'y'))").fields()).containsExactly("a", "b", "c");
        assertThatThrownBy(() -> Filter.parse("a eq")).isInstanceOf(ODataException.class).hasMessageContaining("position");
        assertThatThrownBy(() -> Filter.parse("a eq 'x")).isInstanceOf(ODataException.class).hasMessageContaining("Unterminated");
        assertThatThrownBy(() -> Filter.parse("a == 1")).isInstanceOf(ODataException.class);
    }

    @Test
    void orderBy_sortsByTermsWithNullsFirst() {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(new HashMap<>(Map.of("city", "Oslo", "n", 2L)));
        rows.add(new HashMap<>(Map.of("city", "Bergen", "n", 5L)));
        rows.add(new HashMap<>(Map.of("city", "Oslo", "n", 9L)));
        Map<String, Object> none = new HashMap<>();
        none.put("city", null);
        none.put("n", 1L);
        rows.add(none);
        Comparator<Map<String, Object>> c = OrderBy.parse("city asc, n desc").comparator(r -> r::get);
        rows.sort(c);
        assertThat(rows).extracting(r -> r.get("n")).containsExactly(1L, 5L, 9L, 2L);
        assertThatThrownBy(() -> OrderBy.parse("city sideways")).isInstanceOf(ODataException.class);
    }
}
