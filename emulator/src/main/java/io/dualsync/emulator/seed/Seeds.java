package io.dualsync.emulator.seed;

import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.control.DirectRows;
import io.dualsync.emulator.store.Row;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Starting data for the two emulators ({@code --seed}). {@code none} loads nothing; {@code demo} loads the
 * same small business into both, already in sync as examples/maps/customers.map maps it: companies (F&O
 * LegalEntities, Dataverse cdm_companies), currencies (Dataverse transactioncurrencies), customer groups
 * (CustomerGroups, msdyn_customergroups), vendor groups (Dataverse msdyn_vendorgroups; F&O's vendor group is
 * a plain field of VendorsV2) and customers (CustomersV3, accounts). Rows are written directly
 * (no change events, no webhooks). Dataverse ids are derived from the business keys, so every start gives
 * the same guids.
 *
 * <p>The tables must already be in the stores. Call before the servers start or on each emulator's event loop.
 */
public final class Seeds {
    private Seeds() {
    }

    /** Loads the named data set into both emulators; an unknown name is an {@link IllegalArgumentException}. */
    public static void load(EmulatorContext fo, EmulatorContext dataverse, String name) {
        String which = name == null ? "none" : name.trim().toLowerCase(Locale.ROOT);
        switch (which) {
            case "none", "" -> {
            }
            case "demo" -> new Demo(new DirectRows(fo), new DirectRows(dataverse)).load();
            default -> throw new IllegalArgumentException("unknown seed '" + name + "': use none or demo");
        }
    }

    /** A guid that is the same on every start for the same table and business key. */
    static String guid(String entitySet, String key) {
        return UUID.nameUUIDFromBytes(("dualsync-demo:" + entitySet + ":" + key.toLowerCase(Locale.ROOT))
                .getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The demo data set. */
    private static final class Demo {
        private final DirectRows fo;
        private final DirectRows dv;
        private final Map<String, String> companyIds = new HashMap<>();
        private final Map<String, String> currencyIds = new HashMap<>();
        private final Map<String, String> groupIds = new HashMap<>();

        Demo(DirectRows fo, DirectRows dv) {
            this.fo = fo;
            this.dv = dv;
        }

        void load() {
            for (String set : List.of("LegalEntities", "CustomerGroups", "CustomersV3")) {
                fo.table(set); // fails early, naming the missing table
            }
            for (String set : List.of("cdm_companies", "transactioncurrencies", "msdyn_customergroups", "msdyn_vendorgroups",
                    "accounts")) {
                dv.table(set);
            }
            companies();
            currencies();
            customerGroups();
            vendorGroups();
            customers();
        }

        /** F&O shows legal entity ids in upper case and dataAreaId in lower case; dual-write's company code is upper case. */
        private void companies() {
            company("USMF", "Contoso Entertainment System USA", "USA", "Seattle", "en-us");
            company("USRT", "Contoso Retail USA", "USA", "Seattle", "en-us");
            company("DEMF", "Contoso Entertainment System Germany", "DEU", "Munich", "de");
        }

        private void company(String code, String name, String country, String city, String language) {
            fo.insert("LegalEntities", row("LegalEntityId", code, "Name", name, "AddressCountryRegionId", country,
                    "AddressCity", city, "LanguageId", language));
            Row r = dv.insert("cdm_companies", row("cdm_companyid", guid("cdm_companies", code), "cdm_companycode", code,
                    "cdm_name", name, "statecode", 0L));
            companyIds.put(code, r.id());
        }

        private void currencies() {
            currency("USD", "US Dollar", "$", "1.0");
            currency("EUR", "Euro", "€", "0.92");
            currency("GBP", "Pound Sterling", "£", "0.79");
        }

        private void currency(String iso, String name, String symbol, String rate) {
            Row r = dv.insert("transactioncurrencies", row("transactioncurrencyid", guid("transactioncurrencies", iso),
                    "isocurrencycode", iso, "currencyname", name, "currencysymbol", symbol,
                    "exchangerate", new BigDecimal(rate), "currencyprecision", 2L, "statecode", 0L));
            currencyIds.put(iso, r.id());
        }

        /** CustomerGroups to msdyn_customergroups (dual-write CustCustomerGroup-msdyn-customergroups.md). */
        private void customerGroups() {
            for (String company : List.of("USMF", "USRT", "DEMF")) {
                group(company, "10", "Wholesale customers");
                group(company, "20", "Major customers");
                group(company, "30", "Retail customers");
            }
        }

        private void group(String company, String id, String description) {
            fo.insert("CustomerGroups", row("dataAreaId", company.toLowerCase(Locale.ROOT), "CustomerGroupId", id,
                    "Description", description, "IsSalesTaxIncludedInPrice", "No"));
            Row r = dv.insert("msdyn_customergroups", row("msdyn_customergroupid", guid("msdyn_customergroups", company + "/" + id),
                    "msdyn_company", companyIds.get(company), "msdyn_groupid", id, "msdyn_description", description,
                    "msdyn_issalestaxincludedinprice", false, "statecode", 0L));
            groupIds.put(company + "/" + id, r.id());
        }

        /** Vendor groups to msdyn_vendorgroups (dual-write "Vendor groups" map: group id and description per company). */
        private void vendorGroups() {
            for (String company : List.of("USMF", "USRT", "DEMF")) {
                for (String[] g : new String[][] {{"10", "Local vendors"}, {"20", "Foreign vendors"}, {"30", "Service vendors"}}) {
                    dv.insert("msdyn_vendorgroups", row("msdyn_vendorgroupid", guid("msdyn_vendorgroups", company + "/" + g[0]),
                            "msdyn_company", companyIds.get(company), "msdyn_vendorgroup", g[0], "msdyn_description", g[1],
                            "statecode", 0L));
                }
            }
        }

        private void customers() {
            customer(new Customer("USMF", "US-001", "Contoso Retail San Diego", "30", "USD", "San Diego", "USA", "CA",
                    "123 Coffee Street", "92101", "sandiego@contoso.example", "+1 619 555 0101", "50000", 120, "000000101"));
            customer(new Customer("USMF", "US-002", "Contoso Retail Los Angeles", "30", "USD", "Los Angeles", "USA", "CA",
                    "456 Peach Road", "90001", "losangeles@contoso.example", "+1 213 555 0102", "75000", 85, "000000102"));
            customer(new Customer("USMF", "US-003", "Forest Wholesales", "10", "USD", "Portland", "USA", "OR",
                    "789 Pine Avenue", "97201", "orders@forest.example", "+1 503 555 0103", "250000", 410, "000000103"));
            customer(new Customer("USMF", "US-004", "Cave Wholesales", "10", "USD", "Denver", "USA", "CO",
                    "12 Granite Way", "80202", "buying@cave.example", "+1 303 555 0104", "150000", 260, "000000104"));
            customer(new Customer("USRT", "US-101", "Sunset Retail Partners", "20", "USD", "Miami", "USA", "FL",
                    "1 Ocean Drive", "33139", "hello@sunset.example", "+1 305 555 0105", "30000", 40, "000000105"));
            customer(new Customer("DEMF", "DE-001", "Contoso Europe", "20", "EUR", "Berlin", "DEU", "BE",
                    "Unter den Linden 10", "10117", "europe@contoso.example", "+49 30 5550106", "500000", 900, "000000106"));
            customer(new Customer("DEMF", "DE-002", "Fabrikam Deutschland", "10", "EUR", "Munich", "DEU", "BY",
                    "Leopoldstrasse 20", "80802", "info@fabrikam.example", "+49 89 5550107", "120000", 310, "000000107"));
            customer(new Customer("DEMF", "DE-003", "Litware UK", "30", "GBP", "London", "GBR", null,
                    "221 Baker Street", "NW1 6XE", "sales@litware.example", "+44 20 5550108", "60000", 55, "000000108"));
        }

        /** One customer on both sides, equal under examples/maps/customers.map. */
        private void customer(Customer c) {
            String dataAreaId = c.company.toLowerCase(Locale.ROOT);
            fo.insert("CustomersV3", row(
                    "dataAreaId", dataAreaId, "CustomerAccount", c.account, "PartyType", "Organization",
                    "PartyNumber", c.partyNumber, "OrganizationName", c.name, "CustomerGroupId", c.group,
                    "SalesCurrencyCode", c.currency, "CreditLimit", new BigDecimal(c.creditLimit),
                    "CreditLimitIsMandatory", "No", "IsOneTimeCustomer", "No", "OnHoldStatus", "No",
                    "InvoiceAddress", "InvoiceAccount", "OrganizationNumberOfEmployees", (long) c.employees,
                    "DeliveryAddressCity", c.city, "DeliveryAddressCountryRegionISOCode", c.country,
                    "DeliveryAddressState", c.state, "DeliveryAddressStreet", c.street, "DeliveryAddressZipCode", c.zip,
                    "PrimaryContactEmail", c.email, "PrimaryContactPhone", c.phone, "LanguageId", "en-us"));
            dv.insert("accounts", row(
                    "accountid", guid("accounts", c.company + "/" + c.account),
                    "msdyn_company", companyIds.get(c.company), "accountnumber", c.account, "name", c.name,
                    "customertypecode", 3L, "statecode", 0L, "msdyn_partynumber", c.partyNumber,
                    "msdyn_customergroupid", groupIds.get(c.company + "/" + c.group),
                    "transactioncurrencyid", currencyIds.get(c.currency), "creditlimit", new BigDecimal(c.creditLimit),
                    "msdyn_creditlimitismandatory", false, "msdyn_onetimecustomer", false,
                    "msdyn_onholdstatus", 806380000L, "msdyn_invoiceaddress", 806380000L,
                    "numberofemployees", (long) c.employees, "address1_addresstypecode", 2L,
                    "address1_city", c.city, "address1_country", c.country, "address1_stateorprovince", c.state,
                    "address1_line1", c.street, "address1_postalcode", c.zip,
                    "emailaddress1", c.email, "telephone1", c.phone));
        }

        private static Map<String, Object> row(Object... pairs) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                if (pairs[i + 1] != null) {
                    m.put((String) pairs[i], pairs[i + 1]);
                }
            }
            return m;
        }
    }

    private record Customer(String company, String account, String name, String group, String currency, String city,
                            String country, String state, String street, String zip, String email, String phone,
                            String creditLimit, int employees, String partyNumber) {
    }
}
