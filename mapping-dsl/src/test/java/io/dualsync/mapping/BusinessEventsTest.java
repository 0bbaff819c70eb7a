package io.dualsync.mapping;

import io.dualsync.mapping.schema.SchemaSet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** {@code event} lines: checked against the map's F&O key, unique across maps, exposed by the compiled map. */
class BusinessEventsTest {
    private static final SchemaSet NO_SCHEMAS = SchemaSet.empty();

    private static String customers(String events) {
        return """
                map customers
                  fo CustomersV3 key dataAreaId, CustomerAccount
                  dataverse accounts key msdyn_company.cdm_companycode, accountnumber
                  company dataAreaId <-> msdyn_company.cdm_companycode
                """ + events + """
                  CustomerAccount <-> accountnumber
                """;
    }

    private static List<Diagnostic> errors(String text) {
        return TestMaps.diagnostics(text, NO_SCHEMAS).stream().filter(Diagnostic::isError).toList();
    }

    @Test
    void compiledMap_exposesEachEvent_keyFieldToEventField_inFileOrder() {
        CompiledMap map = TestMaps.compileOk(customers("""
                  event CustomerChangedBusinessEvent key CustomerAccount = AccountNum, dataAreaId = BusinessEventLegalEntity
                  event CustomerCreditLimitChangedBusinessEvent key dataAreaId = dataAreaId, CustomerAccount = CustomerAccount
                """), NO_SCHEMAS);

        assertThat(map.events()).extracting(BusinessEventBinding::id)
                .containsExactly("CustomerChangedBusinessEvent", "CustomerCreditLimitChangedBusinessEvent");
        BusinessEventBinding first = map.events().get(0);
        assertThat(first.keyFields()).containsExactly(entry("CustomerAccount", "AccountNum"),
                entry("dataAreaId", "BusinessEventLegalEntity"));
        // Ingest reads an event field by field: the same binding, the other way round.
        assertThat(first.byEventField()).containsExactly(entry("AccountNum", "CustomerAccount"),
                entry("BusinessEventLegalEntity", "dataAreaId"));
        assertThat(first.span().line()).isEqualTo(5);
    }

    @Test
    void mapWithoutEventLines_hasNoEvents_andItsJsonSaysSo() {
        CompiledMap map = TestMaps.compileOk(customers(""), NO_SCHEMAS);

        assertThat(map.events()).isEmpty();
        assertThat(MapJson.map(map).get("events").isEmpty()).isTrue();
        assertThat(MapJson.map(map).get("events").isArray()).isTrue();
    }

    @Test
    void json_listsEachEventWithItsKey() {
        CompiledMap map = TestMaps.compileOk(customers(
                "  event CustomerChangedBusinessEvent key dataAreaId = BusinessEventLegalEntity, CustomerAccount = CustomerAccount\n"),
                NO_SCHEMAS);

        assertThat(MapJson.map(map).get("events").toString()).isEqualTo("[{\"id\":\"CustomerChangedBusinessEvent\","
                + "\"key\":{\"dataAreaId\":\"BusinessEventLegalEntity\",\"CustomerAccount\":\"CustomerAccount\"}}]");
    }

    @Test
    void exampleCustomersMap_bindsTheEmulatorsCustomerEvent_companyFromTheEnvelope() {
        CompiledMap map = TestMaps.customers();

        assertThat(map.events()).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("CustomerChangedBusinessEvent");
            assertThat(e.keyFields()).containsExactly(entry("dataAreaId", "BusinessEventLegalEntity"),
                    entry("CustomerAccount", "CustomerAccount"));
        });
    }

    @Test
    void keyFieldLeftUnfilled_isE120AtTheEventId_andTheCompanyHintNamesTheEnvelopeField() {
        List<Diagnostic> errors = errors(customers("  event CustomerChangedBusinessEvent key CustomerAccount = CustomerAccount\n"));

        assertThat(errors).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("E120");
            assertThat(d.span().text()).isEqualTo("CustomerChangedBusinessEvent");
            assertThat(d.message()).contains("does not fill key field `dataAreaId` of CustomersV3");
            assertThat(d.hint()).contains("`dataAreaId = BusinessEventLegalEntity`");
        });
    }

    @Test
    void keyFieldWithoutCompanyLine_getsTheContractFieldHint() {
        List<Diagnostic> errors = errors("""
                map customers
                  fo CustomersV3 key CustomerAccount, InvoiceAccount
                  dataverse accounts key accountnumber
                  event CustomerChangedBusinessEvent key CustomerAccount = CustomerAccount
                  CustomerAccount <-> accountnumber
                  InvoiceAccount <- none default "x"
                """);

        assertThat(errors).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("E120");
            assertThat(d.hint()).isEqualTo("add `InvoiceAccount = EventField`, naming the contract field that carries it");
        });
    }

    @Test
    void keyFieldFilledTwice_isE120AtTheSecond() {
        List<Diagnostic> errors = errors(customers(
                "  event CustomerChangedBusinessEvent key dataAreaId = dataAreaId, CustomerAccount = CustomerAccount, dataAreaId = BusinessEventLegalEntity\n"));

        assertThat(errors).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("E120");
            assertThat(d.span().text()).isEqualTo("dataAreaId = BusinessEventLegalEntity");
            assertThat(d.hint()).startsWith("the first is at test.map:5:42");
        });
    }

    @Test
    void oneEventFieldForTwoKeyFields_isE120_becauseIngestCouldNotTellThemApart() {
        List<Diagnostic> errors = errors(customers(
                "  event CustomerChangedBusinessEvent key dataAreaId = Account, CustomerAccount = Account\n"));

        assertThat(errors).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("E120");
            assertThat(d.span().column()).isEqualTo(82);
            assertThat(d.message()).isEqualTo("event field `Account` already fills `dataAreaId`; one event field fills one key field");
        });
    }

    @Test
    void fieldThatIsNotAKey_isE121WithDidYouMean_andNoRepeatedMissingKeyError() {
        List<Diagnostic> errors = errors(customers(
                "  event CustomerChangedBusinessEvent key dataAreaId = BusinessEventLegalEntity, customeraccount = CustomerAccount\n"));

        assertThat(errors).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("E121");
            assertThat(d.span().text()).isEqualTo("customeraccount");
            assertThat(d.hint()).isEqualTo("did you mean `CustomerAccount`?");
        });
    }

    @Test
    void fieldFarFromAnyKey_isE121ListingTheKey() {
        List<Diagnostic> errors = errors(customers(
                "  event CustomerChangedBusinessEvent key dataAreaId = BusinessEventLegalEntity, CustomerAccount = CustomerAccount, Name = Name\n"));

        assertThat(errors).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("E121");
            assertThat(d.hint()).isEqualTo("the map's F&O key is dataAreaId, CustomerAccount");
        });
    }

    @Test
    void sameEventInTwoMapsOfTwoFiles_isE122AtTheSecond_ignoringCase() {
        String vendors = """
                map vendors
                  fo VendorsV2 key VendorAccountNumber
                  dataverse msdyn_vendors key msdyn_vendoraccountnumber
                  event customerchangedbusinessevent key VendorAccountNumber = VendorAccountNumber
                  VendorAccountNumber <-> msdyn_vendoraccountnumber
                """;
        MapCompiler.Result r = MapCompiler.compile(List.of(
                new SourceFile("customers.map", customers(
                        "  event CustomerChangedBusinessEvent key dataAreaId = BusinessEventLegalEntity, CustomerAccount = CustomerAccount\n")),
                new SourceFile("vendors.map", vendors)), NO_SCHEMAS);

        assertThat(r.ok()).isFalse();
        assertThat(r.maps()).isEmpty();
        assertThat(r.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("E122");
            assertThat(d.span().location()).isEqualTo("vendors.map:4:9");
            assertThat(d.message()).isEqualTo("business event `customerchangedbusinessevent` is already bound, in map `customers`");
            assertThat(d.hint()).startsWith("the first is at customers.map:5:9");
        });
    }

    @Test
    void sameEventTwiceInOneMap_isE122() {
        List<Diagnostic> errors = errors(customers("""
                  event CustomerChangedBusinessEvent key dataAreaId = BusinessEventLegalEntity, CustomerAccount = CustomerAccount
                  event CustomerChangedBusinessEvent key dataAreaId = dataAreaId, CustomerAccount = CustomerAccount
                """));

        assertThat(errors).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("E122");
            assertThat(d.span().line()).isEqualTo(6);
        });
    }

    @Test
    void eventFieldsAreNotCheckedAgainstTheSchema_onlyKeyFieldsAre() {
        // Contract fields belong to the event, not to the entity: a schema knows nothing about them.
        CompiledMap map = TestMaps.compileOk(TestMaps.read(TestMaps.EXAMPLES.resolve("customers.map")).text()
                .replace("CustomerAccount = CustomerAccount", "CustomerAccount = CustAccount"), TestMaps.exampleSchemas());

        assertThat(map.events().get(0).keyFields()).containsEntry("CustomerAccount", "CustAccount");
    }
}
