package io.dualsync.mapping;

import io.dualsync.mapping.schema.SchemaSet;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Evaluating compiled maps in both directions: what lands in the target payload. */
class CompiledMapTest {
    private static final SchemaSet NO_SCHEMAS = SchemaSet.empty();

    private static final String SIMPLE = """
            map customers
              fo CustomersV3 key dataAreaId, CustomerAccount
              dataverse accounts key msdyn_company.cdm_companycode, accountnumber
              company dataAreaId <-> msdyn_company.cdm_companycode
              filter fo (PartyType == "Organization") && !(CreditLimit > 1000000)
              filter dataverse customertypecode eq 3 and not startswith(name, 'TEST')
              CustomerAccount <-> accountnumber
              OrganizationName <-> name | trim
              OnHoldStatus <-> msdyn_onholdstatus values { No = 0, Invoice = 1, All = 2, Never = null }
              CustomerGroupId <-> msdyn_customergroupid.msdyn_groupid
              CreditLimit <-> creditlimit as decimal
              InvoiceAddressLatitude -> address2_latitude
              none -> customertypecode default 3
              LanguageId <- none default "en-us"
              SalesMemo <-> description default ""
            """;

    private static Map<String, Object> record(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void foToDataverse_mapsFieldsValueMapsDefaultsAndLookups() {
        CompiledMap map = TestMaps.compileOk(SIMPLE, NO_SCHEMAS);
        Payload p = map.evaluate(Direction.FO_TO_DATAVERSE, record(
                "dataAreaId", "usmf", "CustomerAccount", "US-001", "PartyType", "Organization",
                "OrganizationName", "  Contoso  ", "OnHoldStatus", "Invoice", "CustomerGroupId", "10",
                "CreditLimit", "2500.50", "InvoiceAddressLatitude", 47.6, "SalesMemo", null, "LanguageId", "de"));

        assertThat(p.accepted()).isTrue();
        assertThat(p.toMap()).containsEntry("accountnumber", "US-001")
                .containsEntry("name", "Contoso")
                .containsEntry("msdyn_onholdstatus", new BigDecimal("1"))
                .containsEntry("msdyn_customergroupid.msdyn_groupid", "10")
                .containsEntry("creditlimit", new BigDecimal("2500.50"))
                .containsEntry("address2_latitude", 47.6)
                .containsEntry("customertypecode", new BigDecimal("3"))
                .containsEntry("description", "")
                .doesNotContainKey("LanguageId");
        int slot = slotOf(p, "msdyn_customergroupid.msdyn_groupid");
        assertThat(p.lookup(slot)).isEqualTo(new LookupRef("msdyn_customergroupid", "msdyn_groupid", null));
        assertThat(p.lookup(slotOf(p, "msdyn_company.cdm_companycode")).column()).isEqualTo("msdyn_company");
        assertThat(p.get("msdyn_company.cdm_companycode")).isEqualTo("usmf");
    }

    @Test
    void dataverseToFo_readsExpandedLookupsInvertsValueMapsAndAppliesDefaults() {
        CompiledMap map = TestMaps.compileOk(SIMPLE, NO_SCHEMAS);
        Map<String, Object> group = new HashMap<>();
        group.put("msdyn_groupid", "20");
        Payload p = map.evaluate(Direction.DATAVERSE_TO_FO, record(
                "accountnumber", "US-002", "name", "Fabrikam", "customertypecode", 3,
                "msdyn_company", Map.of("cdm_companycode", "usmf"), "msdyn_customergroupid", group,
                "msdyn_onholdstatus", 2, "address2_latitude", 10.0));

        assertThat(p.toMap()).containsEntry("CustomerAccount", "US-002")
                .containsEntry("dataAreaId", "usmf")
                .containsEntry("CustomerGroupId", "20")
                .containsEntry("OnHoldStatus", "All")
                .containsEntry("LanguageId", "en-us")
                .doesNotContainKey("InvoiceAddressLatitude");
    }

    @Test
    void valueMap_mapsNullBothWays() {
        CompiledMap map = TestMaps.compileOk(SIMPLE, NO_SCHEMAS);
        Payload toDv = map.evaluate(Direction.FO_TO_DATAVERSE, record("PartyType", "Organization", "OnHoldStatus", "Never"));
        assertThat(toDv.has("msdyn_onholdstatus")).isTrue();
        assertThat(toDv.get("msdyn_onholdstatus")).isNull();

        Payload toFo = map.evaluate(Direction.DATAVERSE_TO_FO, record("customertypecode", 3, "name", "A", "msdyn_onholdstatus", null));
        assertThat(toFo.get("OnHoldStatus")).isEqualTo("Never");
    }

    @Test
    void valueMap_unknownValue_failsNamingTheField() {
        CompiledMap map = TestMaps.compileOk(SIMPLE, NO_SCHEMAS);
        assertThatThrownBy(() -> map.evaluate(Direction.FO_TO_DATAVERSE, record("PartyType", "Organization", "OnHoldStatus", "Payment")))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("msdyn_onholdstatus")
                .hasMessageContaining("\"Payment\" is not in the value map");
    }

    @Test
    void sourceFilter_rejectsRecordsOutsideIt_inEachDirection() {
        CompiledMap map = TestMaps.compileOk(SIMPLE, NO_SCHEMAS);
        assertThat(map.evaluate(Direction.FO_TO_DATAVERSE, record("PartyType", "Person", "CustomerAccount", "X")).accepted()).isFalse();
        assertThat(map.evaluate(Direction.FO_TO_DATAVERSE, record("PartyType", "organization", "CreditLimit", 5)).accepted())
                .as("string comparison ignores case, as the services' collation does").isTrue();
        assertThat(map.evaluate(Direction.FO_TO_DATAVERSE, record("PartyType", "Organization", "CreditLimit", 2_000_000)).accepted()).isFalse();
        assertThat(map.evaluate(Direction.DATAVERSE_TO_FO, record("customertypecode", 3, "name", "Test account")).accepted()).isFalse();
        assertThat(map.evaluate(Direction.DATAVERSE_TO_FO, record("customertypecode", 1, "name", "A")).accepted()).isFalse();
        assertThat(map.evaluate(Direction.DATAVERSE_TO_FO, record("customertypecode", 3, "name", "A")).accepted()).isTrue();
    }

    @Test
    void partialRecord_leavesAbsentFieldsOut_butSendsExplicitNulls() {
        CompiledMap map = TestMaps.compileOk(SIMPLE, NO_SCHEMAS);
        Payload p = map.evaluate(Direction.FO_TO_DATAVERSE, record("PartyType", "Organization", "OrganizationName", null));
        assertThat(p.toMap()).containsOnlyKeys("name", "customertypecode");
        assertThat(p.get("name")).isNull();
    }

    @Test
    void declaredType_coercesAndRejectsWhatCannotBeCoerced() {
        CompiledMap map = TestMaps.compileOk(SIMPLE, NO_SCHEMAS);
        assertThatThrownBy(() -> map.evaluate(Direction.FO_TO_DATAVERSE, record("PartyType", "Organization", "CreditLimit", "lots")))
                .isInstanceOf(MappingException.class).hasMessageContaining("creditlimit").hasMessageContaining("is not a number");
    }

    @Test
    void transforms_runPerDirection_andInvertibleOnesRunBackwards() {
        CompiledMap map = TestMaps.compileOk("""
                map t
                  fo E key Id
                  dataverse t key id
                  Id <-> id
                  Code <-> code | prefix("X-") | upper
                  Amount <-> amount | scale(100)
                  Name <-> name
                    to dataverse | upper
                    to fo | lower
                  Full -> full | concat(" ", Last) | trim
                  Note -> note | when value == "" then null else value | coalesce(Fallback, "n/a")
                  Day <-> day | format-date("dd/MM/yyyy")
                  Short -> short | substring(0, 3) | replace("a", "o")
                """, NO_SCHEMAS);
        Payload out = map.evaluate(Direction.FO_TO_DATAVERSE, record("Id", 1, "Code", "ab", "Amount", new BigDecimal("1.5"),
                "Name", "Ann", "Full", "Ann", "Last", "Lee", "Note", "", "Fallback", null, "Day", "2024-03-01", "Short", "banana"));
        assertThat(out.toMap()).containsEntry("code", "X-AB").containsEntry("amount", new BigDecimal("150.0"))
                .containsEntry("name", "ANN").containsEntry("full", "Ann Lee").containsEntry("note", "n/a")
                .containsEntry("day", "01/03/2024").containsEntry("short", "bon");

        Payload back = map.evaluate(Direction.DATAVERSE_TO_FO, record("id", 1, "code", "X-CD", "amount", 250, "name", "BOB", "day", "31/12/2023"));
        assertThat(back.toMap()).containsEntry("Code", "CD").containsEntry("Name", "bob").containsEntry("Day", "2023-12-31");
        assertThat((BigDecimal) back.get("Amount")).isEqualByComparingTo("2.5");
    }

    @Test
    void customersExample_withSchemas_coercesToTargetTypesAndResolvesLookupTables() {
        CompiledMap map = TestMaps.customers();
        Map<String, Object> fo = record("dataAreaId", "usmf", "CustomerAccount", "US-001", "PartyType", "Organization",
                "OrganizationName", "Contoso", "OnHoldStatus", "Never", "IsOneTimeCustomer", "Yes", "CustomerGroupId", "10",
                "OrganizationNumberOfEmployees", 25, "CreditLimit", 1000, "SalesCurrencyCode", "USD");
        Payload p = map.evaluate(Direction.FO_TO_DATAVERSE, fo);
        assertThat(p.toMap()).containsEntry("msdyn_onholdstatus", 806380005L)
                .containsEntry("msdyn_onetimecustomer", true)
                .containsEntry("customertypecode", 3L)
                .containsEntry("address1_addresstypecode", 2L)
                .containsEntry("numberofemployees", 25L)
                .containsEntry("creditlimit", new BigDecimal("1000"));
        assertThat(p.lookup(slotOf(p, "transactioncurrencyid.isocurrencycode")))
                .isEqualTo(new LookupRef("transactioncurrencyid", "isocurrencycode", "transactioncurrencies"));
        assertThat(map.flows(Direction.FO_TO_DATAVERSE)).isTrue();
        assertThat(map.flows(Direction.DATAVERSE_TO_FO)).isTrue();
        assertThat(map.fields()).hasSize(61);
    }

    private static int slotOf(Payload p, String name) {
        for (int i = 0; i < p.slots(); i++) {
            if (p.name(i).equals(name)) {
                return i;
            }
        }
        throw new AssertionError("no slot " + name);
    }
}
