package io.dualsync.emulator.seed;

import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorOptions;
import io.dualsync.emulator.store.Row;
import io.dualsync.emulator.store.Table;
import io.dualsync.mapping.schema.SchemaLoader;
import io.dualsync.mapping.schema.SchemaSet;
import io.dualsync.mapping.Side;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo data is the same business on both sides, as examples/maps/customers.map maps it. */
class SeedsTest {
    private static final SchemaSet SCHEMAS = SchemaLoader.builtIn();

    private final EmulatorContext fo = context(EmulatorContext.Kind.FO, Side.FO,
            "LegalEntities", "CustomerGroups", "CustomersV3", "VendorsV2");
    private final EmulatorContext dv = context(EmulatorContext.Kind.DATAVERSE, Side.DATAVERSE,
            "cdm_companies", "transactioncurrencies", "msdyn_customergroups", "msdyn_vendorgroups", "accounts", "contacts");

    /** No server: the store is used from the test thread only (vertx is not needed to seed). */
    private static EmulatorContext context(EmulatorContext.Kind kind, Side side, String... tables) {
        EmulatorContext ctx = new EmulatorContext(null, new EmulatorOptions(), kind);
        for (String t : tables) {
            ctx.store().add(SCHEMAS.get(side, t));
        }
        return ctx;
    }

    private Row related(String entitySet, Object id) {
        assertThat(id).as("lookup into %s", entitySet).isNotNull();
        Row r = dv.store().table(entitySet).get(id.toString());
        assertThat(r).as("%s row %s", entitySet, id).isNotNull();
        return r;
    }

    @Test
    void none_loadsNothing() {
        Seeds.load(fo, dv, "none");

        assertThat(fo.store().tables()).allMatch(t -> t.size() == 0);
        assertThat(dv.store().tables()).allMatch(t -> t.size() == 0);
    }

    @Test
    void demo_everyCustomerHasTheSameAccountInDataverse() {
        Seeds.load(fo, dv, "demo");

        Table customers = fo.store().table("CustomersV3");
        Table accounts = dv.store().table("accounts");
        assertThat(customers.size()).isGreaterThanOrEqualTo(5).isEqualTo(accounts.size());
        for (Row c : customers.rows()) {
            Map<String, Object> v = c.values();
            Row a = null;
            for (Row candidate : accounts.rows()) {
                Row company = related("cdm_companies", candidate.get("msdyn_company"));
                if (v.get("CustomerAccount").equals(candidate.get("accountnumber"))
                        && v.get("dataAreaId").toString().equalsIgnoreCase(company.get("cdm_companycode").toString())) {
                    a = candidate;
                }
            }
            assertThat(a).as("account for %s/%s", v.get("dataAreaId"), v.get("CustomerAccount")).isNotNull();
            // A selection of customers.map's field pairs, both ways.
            assertThat(a.get("name")).isEqualTo(v.get("OrganizationName"));
            assertThat(a.get("customertypecode")).as("the map's Dataverse filter").isEqualTo(3L);
            assertThat(v.get("PartyType")).as("the map's F&O filter").isEqualTo("Organization");
            assertThat(related("transactioncurrencies", a.get("transactioncurrencyid")).get("isocurrencycode"))
                    .isEqualTo(v.get("SalesCurrencyCode"));
            Row group = related("msdyn_customergroups", a.get("msdyn_customergroupid"));
            assertThat(group.get("msdyn_groupid")).isEqualTo(v.get("CustomerGroupId"));
            assertThat(group.get("msdyn_company")).as("the group is the customer's company's").isEqualTo(a.get("msdyn_company"));
            assertThat(((BigDecimal) a.get("creditlimit"))).isEqualByComparingTo((BigDecimal) v.get("CreditLimit"));
            assertThat(a.get("numberofemployees")).isEqualTo(v.get("OrganizationNumberOfEmployees"));
            assertThat(a.get("msdyn_partynumber")).isEqualTo(v.get("PartyNumber"));
            assertThat(a.get("address1_city")).isEqualTo(v.get("DeliveryAddressCity"));
            assertThat(a.get("address1_country")).isEqualTo(v.get("DeliveryAddressCountryRegionISOCode"));
            assertThat(a.get("address1_stateorprovince")).isEqualTo(v.get("DeliveryAddressState"));
            assertThat(a.get("address1_line1")).isEqualTo(v.get("DeliveryAddressStreet"));
            assertThat(a.get("address1_postalcode")).isEqualTo(v.get("DeliveryAddressZipCode"));
            assertThat(a.get("emailaddress1")).isEqualTo(v.get("PrimaryContactEmail"));
            assertThat(a.get("telephone1")).isEqualTo(v.get("PrimaryContactPhone"));
            assertThat(a.get("msdyn_creditlimitismandatory")).isEqualTo("Yes".equals(v.get("CreditLimitIsMandatory")));
            assertThat(a.get("msdyn_onetimecustomer")).isEqualTo("Yes".equals(v.get("IsOneTimeCustomer")));
            assertThat(a.get("msdyn_onholdstatus")).isEqualTo(806380000L + List.of("No", "Invoice", "All", "Payment",
                    "Requisition", "Never").indexOf((String) v.get("OnHoldStatus")));
        }
    }

    @Test
    void demo_companiesAndGroupsMatch() {
        Seeds.load(fo, dv, "demo");

        List<String> legalEntities = new ArrayList<>();
        fo.store().table("LegalEntities").rows().forEach(r -> legalEntities.add(r.get("LegalEntityId").toString().toLowerCase()));
        List<String> companies = new ArrayList<>();
        dv.store().table("cdm_companies").rows().forEach(r -> companies.add(r.get("cdm_companycode").toString().toLowerCase()));
        assertThat(legalEntities).containsExactlyInAnyOrder("usmf", "usrt", "demf").isEqualTo(companies);

        Table groups = fo.store().table("CustomerGroups");
        assertThat(groups.size()).isEqualTo(9).isEqualTo(dv.store().table("msdyn_customergroups").size());
        for (Row g : groups.rows()) {
            Row company = dv.store().table("cdm_companies").findByKey(List.of("cdm_companycode"), Map.of("cdm_companycode", g.get("dataAreaId")));
            Row dvGroup = dv.store().table("msdyn_customergroups").findByKey(List.of("msdyn_company", "msdyn_groupid"),
                    Map.of("msdyn_company", company.id(), "msdyn_groupid", g.get("CustomerGroupId")));
            assertThat(dvGroup).as("group %s/%s", g.get("dataAreaId"), g.get("CustomerGroupId")).isNotNull();
            assertThat(dvGroup.get("msdyn_description")).isEqualTo(g.get("Description"));
        }

        Table vendorGroups = dv.store().table("msdyn_vendorgroups");
        assertThat(vendorGroups.size()).as("vendor groups 10, 20, 30 per company").isEqualTo(9);
        for (String code : List.of("USMF", "USRT", "DEMF")) {
            Row company = dv.store().table("cdm_companies").findByKey(List.of("cdm_companycode"), Map.of("cdm_companycode", code));
            for (String id : List.of("10", "20", "30")) {
                assertThat(vendorGroups.findByKey(List.of("msdyn_company", "msdyn_vendorgroup"),
                        Map.of("msdyn_company", company.id(), "msdyn_vendorgroup", id))).as("vendor group %s/%s", code, id).isNotNull();
            }
        }

        List<String> currencies = new ArrayList<>();
        dv.store().table("transactioncurrencies").rows().forEach(r -> currencies.add(r.get("isocurrencycode").toString()));
        assertThat(currencies).containsExactlyInAnyOrder("USD", "EUR", "GBP");
    }

    @Test
    void demo_dataverseRowsLookAsTheWebApiStoresThem() {
        Seeds.load(fo, dv, "demo");

        for (Row a : dv.store().table("accounts").rows()) {
            assertThat(a.get("accountid")).isEqualTo(a.id());
            assertThat(a.get("versionnumber")).isEqualTo(a.version());
            assertThat(a.get("createdon")).asString().endsWith("Z");
            assertThat(a.get("modifiedon")).isNotNull();
        }
    }

    @Test
    void demo_givesTheSameIdsOnEveryStart() {
        Seeds.load(fo, dv, "demo");
        EmulatorContext dv2 = context(EmulatorContext.Kind.DATAVERSE, Side.DATAVERSE,
                "cdm_companies", "transactioncurrencies", "msdyn_customergroups", "msdyn_vendorgroups", "accounts");
        EmulatorContext fo2 = context(EmulatorContext.Kind.FO, Side.FO, "LegalEntities", "CustomerGroups", "CustomersV3");
        Seeds.load(fo2, dv2, "DEMO");

        List<String> first = new ArrayList<>();
        dv.store().table("accounts").rows().forEach(r -> first.add(r.id()));
        List<String> second = new ArrayList<>();
        dv2.store().table("accounts").rows().forEach(r -> second.add(r.id()));
        assertThat(second).isEqualTo(first);
    }

    @Test
    void demo_publishesNoChangeEvents() {
        List<Object> events = new ArrayList<>();
        fo.addListener(events::add);
        dv.addListener(events::add);

        Seeds.load(fo, dv, "demo");

        assertThat(events).isEmpty();
    }

    @Test
    void unknownSeedOrMissingTable_isExplained() {
        assertThatThrownBy(() -> Seeds.load(fo, dv, "big")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("none or demo");

        EmulatorContext empty = context(EmulatorContext.Kind.DATAVERSE, Side.DATAVERSE);
        assertThatThrownBy(() -> Seeds.load(fo, empty, "demo")).hasMessageContaining("cdm_companies");
    }
}
