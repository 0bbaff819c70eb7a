package io.dualsync.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo's final check against examples/maps: records equal under the maps pass; a difference in any
 * mapped field (plain, value-mapped, lookup, one-way default) or a record on one side only is reported
 * with its key, field and both values.
 */
class DemoComparisonTest {
    private static final Path EXAMPLES = Path.of("..", "examples", "maps");
    private static final String USMF = "0b8c1f52-0000-4000-8000-000000000001";
    private static final String GROUP_10 = "0b8c1f52-0000-4000-8000-000000000010";
    private static final String GROUP_20 = "0b8c1f52-0000-4000-8000-000000000020";
    private static final String USD = "0b8c1f52-0000-4000-8000-0000000000a1";
    private static final String EUR = "0b8c1f52-0000-4000-8000-0000000000a2";
    private static final String VENDOR_GROUP = "0b8c1f52-0000-4000-8000-0000000000b1";

    static DemoSetup.Maps maps;

    @BeforeAll
    static void compile(@TempDir Path dir) throws IOException {
        maps = DemoSetup.compile(EXAMPLES, DemoSetup.schemaFolder(EXAMPLES, dir.resolve("schemas")));
    }

    private final Map<String, List<Map<String, Object>>> fo = new HashMap<>();
    private final Map<String, List<Map<String, Object>>> dv = new HashMap<>();
    private Map<String, Object> customer;
    private Map<String, Object> account;
    private Map<String, Object> vendor;
    private Map<String, Object> dvVendor;

    /** One customer and one vendor, equal on both sides under the maps, with the lookups' related rows. */
    @BeforeEach
    void equalSides() {
        dv.put("cdm_companies", new ArrayList<>(List.of(row("cdm_companyid", USMF, "cdm_companycode", "USMF"))));
        dv.put("msdyn_customergroups", new ArrayList<>(List.of(
                row("msdyn_customergroupid", GROUP_10, "_msdyn_company_value", USMF, "msdyn_groupid", "10"),
                row("msdyn_customergroupid", GROUP_20, "_msdyn_company_value", USMF, "msdyn_groupid", "20"))));
        dv.put("transactioncurrencies", new ArrayList<>(List.of(
                row("transactioncurrencyid", USD, "isocurrencycode", "USD"),
                row("transactioncurrencyid", EUR, "isocurrencycode", "EUR"))));
        dv.put("msdyn_vendorgroups", new ArrayList<>(List.of(
                row("msdyn_vendorgroupid", VENDOR_GROUP, "_msdyn_company_value", USMF, "msdyn_vendorgroup", "V10"))));

        // As F&O's OData shows it: every field, unset ones with their initial value ("", 0, first enum symbol).
        customer = row("@odata.etag", "W/\"7\"", "dataAreaId", "usmf", "CustomerAccount", "C-1", "PartyType", "Organization",
                "OrganizationName", "Contoso", "CustomerGroupId", "10", "SalesCurrencyCode", "USD",
                "OnHoldStatus", "Invoice", "CreditLimit", new BigDecimal("50000.00"), "CreditLimitIsMandatory", "Yes",
                "InvoiceAddress", "InvoiceAccount", "LanguageId", "en-us", "PrimaryContactPhone", "+1 425 555 0100",
                "InvoiceAddressLatitude", BigDecimal.ZERO, "PaymentDay", "", "IsOneTimeCustomer", "No",
                "OrganizationNumberOfEmployees", 0);
        // As the Web API shows it: lookups as _x_value guids, unset columns null.
        account = row("@odata.etag", "W/\"9\"", "accountid", "0b8c1f52-0000-4000-8000-0000000000c1",
                "_msdyn_company_value", USMF, "accountnumber", "C-1", "name", "Contoso", "customertypecode", 3,
                "address1_addresstypecode", 2, "_msdyn_customergroupid_value", GROUP_10, "_transactioncurrencyid_value", USD,
                "msdyn_onholdstatus", 806380001, "creditlimit", 50000, "msdyn_creditlimitismandatory", true,
                "msdyn_invoiceaddress", null, "telephone1", "+1 425 555 0100", "address2_latitude", null,
                "_msdyn_paymentday_value", null, "msdyn_onetimecustomer", null, "numberofemployees", null);
        vendor = row("dataAreaId", "usmf", "VendorAccountNumber", "V-1", "VendorGroupId", "V10",
                "VendorOrganizationName", "Fabrikam", "VendorPartyType", "Person", "PersonFirstName", "Ann",
                "LanguageId", "de", "CurrencyCode", "EUR", "IsWomanOwner", "Yes", "VendorHoldReleaseDate", "1900-01-01T00:00:00Z");
        dvVendor = row("msdyn_vendorid", "0b8c1f52-0000-4000-8000-0000000000d1", "_msdyn_company_value", USMF,
                "msdyn_vendoraccountnumber", "V-1", "_msdyn_vendorgroupid_value", VENDOR_GROUP, "msdyn_name", "Fabrikam",
                "msdyn_isperson", true, "msdyn_firstname", "Ann", "msdyn_language", 192350004,
                "_msdyn_currencycode_value", EUR, "msdyn_womanowner", true, "msdyn_vendoronholdreleasedate", null);
        fo.put("CustomersV3", new ArrayList<>(List.of(customer)));
        fo.put("VendorsV2", new ArrayList<>(List.of(vendor)));
        dv.put("accounts", new ArrayList<>(List.of(account)));
        dv.put("msdyn_vendors", new ArrayList<>(List.of(dvVendor)));
    }

    private DemoComparison.Result compare() {
        return new DemoComparison(maps.maps(), maps.schemas())
                .compare(set -> fo.getOrDefault(set, List.of()), set -> dv.getOrDefault(set, List.of()));
    }

    @Test
    void equalRecords_pass_andEveryFieldLineOfEveryMapIsCounted() {
        DemoComparison.Result r = compare();

        assertThat(r.differences()).isEmpty();
        assertThat(r.equal()).isTrue();
        assertThat(r.counts()).isEqualTo("1 customers, 1 vendors");
        int lines = maps.maps().stream().mapToInt(m -> m.fields().size()).sum();
        assertThat(r.fields()).isEqualTo(lines).isGreaterThan(100);
    }

    @Test
    void valueMappedField_differing_isReportedWithBothValues() {
        account.put("msdyn_onholdstatus", 806380002); // All, while F&O says Invoice

        assertThat(compare().differences()).singleElement().hasToString(
                "customers USMF/C-1: OnHoldStatus <-> msdyn_onholdstatus: F&O \"Invoice\" (maps to 806380001), Dataverse 806380002");
    }

    @Test
    void lookupField_differing_isReportedThroughTheRelatedRow() {
        account.put("_msdyn_customergroupid_value", GROUP_20);

        assertThat(compare().differences()).singleElement().hasToString(
                "customers USMF/C-1: CustomerGroupId <-> msdyn_customergroupid.msdyn_groupid: F&O \"10\", Dataverse \"20\"");
    }

    @Test
    void booleanValueMapOfVendors_differing_isReported() {
        dvVendor.put("msdyn_isperson", false);

        assertThat(compare().differences()).singleElement().satisfies(d -> {
            assertThat(d.map()).isEqualTo("vendors");
            assertThat(d.field()).isEqualTo("VendorPartyType <-> msdyn_isperson");
            assertThat(d.detail()).isEqualTo("F&O \"Person\" (maps to true), Dataverse false");
        });
    }

    @Test
    void oneWayDefault_isComparedInTheDirectionItFlows() {
        customer.put("LanguageId", "fr"); // LanguageId <- none default "en-us": F&O must hold en-us

        assertThat(compare().differences()).singleElement().hasToString(
                "customers USMF/C-1: LanguageId <- none: Dataverse null (maps to \"en-us\"), F&O \"fr\"");
    }

    @Test
    void recordsOnOneSideOnly_areDifferences_butRecordsTheFilterLeavesOut_areNot() {
        fo.get("CustomersV3").add(row("dataAreaId", "usmf", "CustomerAccount", "C-2", "PartyType", "Organization",
                "OrganizationName", "Only in F&O", "CustomerGroupId", "10", "SalesCurrencyCode", "USD"));
        fo.get("CustomersV3").add(row("dataAreaId", "usmf", "CustomerAccount", "P-1", "PartyType", "Person",
                "CustomerGroupId", "10", "SalesCurrencyCode", "USD"));
        dv.get("msdyn_vendors").add(row("msdyn_vendorid", "0b8c1f52-0000-4000-8000-0000000000d2",
                "_msdyn_company_value", USMF, "msdyn_vendoraccountnumber", "V-2", "msdyn_name", "Only in Dataverse"));

        DemoComparison.Result r = compare();

        assertThat(r.differences()).extracting(Object::toString).containsExactly(
                "customers usmf/C-2: only in F&O (CustomersV3)",
                "vendors USMF/V-2: only in Dataverse (msdyn_vendors)");
        assertThat(r.counts()).isEqualTo("2 customers, 2 vendors");
    }

    @Test
    void anFAndOInitialValue_equalsAnEmptyColumn_butNotAnotherValue() {
        // F&O shows IsOneTimeCustomer "No" and 0 employees for fields nobody set; Dataverse has null: equal
        assertThat(compare().differences()).isEmpty();

        account.put("msdyn_onetimecustomer", true);
        account.put("numberofemployees", 12);

        assertThat(compare().differences()).extracting(DemoComparison.Difference::field).containsExactly(
                "OrganizationNumberOfEmployees <-> numberofemployees", "IsOneTimeCustomer <-> msdyn_onetimecustomer");
    }

    @Test
    void aValueTheMapCannotTranslate_isReportedForThatFieldOnly() {
        vendor.put("LanguageId", "xx"); // not in the value map of LanguageId <-> msdyn_language

        assertThat(compare().differences()).singleElement().satisfies(d -> {
            assertThat(d.field()).isEqualTo("LanguageId <-> msdyn_language");
            assertThat(d.detail()).startsWith("F&O \"xx\", Dataverse 192350004: ").contains("not in the value map");
        });
    }

    @Test
    void sameValue_comparesNumbersByValue_andNullLikeEmptyText() {
        assertThat(DemoComparison.same(new BigDecimal("50000.00"), 50000)).isTrue();
        assertThat(DemoComparison.same(null, "")).isTrue();
        assertThat(DemoComparison.same("1900-01-01T00:00:00Z", "1900-01-01T00:00:00.000Z")).isTrue();
        assertThat(DemoComparison.same("Contoso", "contoso")).isFalse();
        assertThat(DemoComparison.same(0, null)).isFalse();
        assertThat(DemoComparison.same(true, "true")).isTrue();
    }

    private static Map<String, Object> row(Object... pairs) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }
}
