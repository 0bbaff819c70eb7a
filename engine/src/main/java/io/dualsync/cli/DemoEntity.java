package io.dualsync.cli;

import io.vertx.core.json.JsonObject;

import java.math.BigDecimal;
import java.util.List;
import java.util.Random;

/**
 * What the demo driver does to one pair of entities (customers: CustomersV3 and accounts; vendors:
 * VendorsV2 and msdyn_vendors): how a record is created and the kinds of edits a person makes, each
 * written in both systems' words, so the same change can be made in F&O or in Dataverse.
 *
 * <p>Both bodies of a {@link Change} say the same thing under examples/maps (an F&O enum symbol and
 * its option value, an F&O code and a Dataverse lookup to the row with that code). Every variant of
 * one kind of edit writes the same fields, and a new record gets a value for every field an edit may
 * change: the engine does not yet carry an empty value across (a field cleared at the source, or a
 * conflict won by a side that has no value for the field), so a field set on one side only would stay
 * so. Stateless.
 */
abstract class DemoEntity {
    /** One change, as an F&O body and as a Dataverse body. */
    record Change(JsonObject fo, JsonObject dataverse) {
        Change with(Change more) {
            return new Change(fo.copy().mergeIn(more.fo), dataverse.copy().mergeIn(more.dataverse));
        }
    }

    /** The {@code @odata.bind} reference of a related Dataverse row, by its business key in company USMF. */
    interface Binds {
        String bind(String entitySet, String key);
    }

    static final String COMPANY = "USMF";
    static final DemoEntity CUSTOMERS = new Customers();
    static final DemoEntity VENDORS = new Vendors();

    /** The vendor groups the driver adds to Dataverse's msdyn_vendorgroups (see DemoSetup): id and description. */
    static final String[][] VENDOR_GROUPS = {{"10", "Local vendors"}, {"20", "Foreign vendors"}, {"30", "Service vendors"}};

    private static final String[] CITIES = {"Seattle", "Redmond", "Portland", "Denver", "Austin", "Chicago"};
    private static final String[] STREETS = {"Pine Street", "Lake Avenue", "Market Road", "Harbor Way", "Oak Lane"};
    private static final String[] CURRENCIES = {"USD", "EUR", "GBP"};
    /** CustVendorBlocked symbols and their option values, as both maps pair them. */
    private static final List<Object[]> ON_HOLD = List.of(new Object[]{"No", 806380000}, new Object[]{"Invoice", 806380001},
            new Object[]{"All", 806380002}, new Object[]{"Payment", 806380003}, new Object[]{"Never", 806380005});

    final String name;
    final String foSet;
    final String foKey;
    final String dataverseSet;
    final String dataverseKey;
    final String dataverseId;
    /** The Dataverse table's logical name, for the webhook registration. */
    final String logicalName;

    private DemoEntity(String name, String foSet, String foKey, String dataverseSet, String dataverseKey, String dataverseId,
                       String logicalName) {
        this.name = name;
        this.foSet = foSet;
        this.foKey = foKey;
        this.dataverseSet = dataverseSet;
        this.dataverseKey = dataverseKey;
        this.dataverseId = dataverseId;
        this.logicalName = logicalName;
    }

    /** A new record {@code number} with account {@code account}, as a person fills in the new-record form. */
    abstract Change create(String account, long number, Random random, Binds binds);

    /** How many kinds of edit {@link #edit} makes. */
    abstract int kinds();

    /** An edit of kind {@code kind}; {@code where} ("F&O", "Dataverse") goes into text values, to show who wrote them. */
    abstract Change edit(int kind, String where, Random random, Binds binds);

    /** The record's F&O URL path (company USMF). */
    String foPath(String account) {
        return "/data/" + foSet + "(dataAreaId='usmf'," + foKey + "='" + account.replace("'", "''") + "')";
    }

    @Override
    public String toString() {
        return name;
    }

    /** Customers V3 and accounts (examples/maps/customers.map). */
    private static final class Customers extends DemoEntity {
        private static final String[] GROUPS = {"10", "20", "30"};

        Customers() {
            super("customers", "CustomersV3", "CustomerAccount", "accounts", "accountnumber", "accountid", "account");
        }

        @Override
        Change create(String account, long number, Random random, Binds binds) {
            String name = "Demo customer " + number;
            String group = pick(random, GROUPS);
            String currency = pick(random, CURRENCIES);
            // LanguageId and PartyType flow Dataverse to F&O only, with defaults: an F&O user sets them
            Change form = new Change(
                    new JsonObject().put("dataAreaId", "usmf").put("CustomerAccount", account).put("PartyType", "Organization")
                            .put("OrganizationName", name).put("CustomerGroupId", group).put("SalesCurrencyCode", currency)
                            .put("LanguageId", "en-us"),
                    new JsonObject().put("accountnumber", account).put("name", name).put("customertypecode", 3)
                            .put("address1_addresstypecode", 2)
                            .put("msdyn_company@odata.bind", binds.bind("cdm_companies", COMPANY))
                            .put("msdyn_customergroupid@odata.bind", binds.bind("msdyn_customergroups", group))
                            .put("transactioncurrencyid@odata.bind", binds.bind("transactioncurrencies", currency)));
            for (int kind : new int[] {1, 2, 3, 4, 5, 8}) {
                form = form.with(edit(kind, "new", random, binds));
            }
            return form;
        }

        @Override
        int kinds() {
            return 9;
        }

        @Override
        Change edit(int kind, String where, Random random, Binds binds) {
            switch (kind) {
                case 0: {
                    String name = "Renamed on " + where + " " + shortId(random);
                    return change("OrganizationName", name, "name", name);
                }
                case 1: {
                    String phone = phone(random);
                    String email = shortId(random) + "@customer.example";
                    return new Change(new JsonObject().put("PrimaryContactPhone", phone).put("PrimaryContactEmail", email),
                            new JsonObject().put("telephone1", phone).put("emailaddress1", email));
                }
                case 2:
                    return address(random, "DeliveryAddress", "address1_");
                case 3:
                    return address(random, "InvoiceAddress", "address2_");
                case 4: {
                    BigDecimal limit = BigDecimal.valueOf(1000L * (1 + random.nextInt(500)));
                    boolean mandatory = random.nextBoolean();
                    return new Change(new JsonObject().put("CreditLimit", limit).put("CreditLimitIsMandatory", mandatory ? "Yes" : "No"),
                            new JsonObject().put("creditlimit", limit).put("msdyn_creditlimitismandatory", mandatory));
                }
                case 5: {
                    Object[] hold = ON_HOLD.get(random.nextInt(ON_HOLD.size()));
                    return change("OnHoldStatus", hold[0], "msdyn_onholdstatus", hold[1]);
                }
                case 6: {
                    String group = pick(random, GROUPS);
                    return change("CustomerGroupId", group, "msdyn_customergroupid@odata.bind", binds.bind("msdyn_customergroups", group));
                }
                case 7: {
                    String currency = pick(random, CURRENCIES);
                    return change("SalesCurrencyCode", currency, "transactioncurrencyid@odata.bind",
                            binds.bind("transactioncurrencies", currency));
                }
                default: {
                    int employees = 1 + random.nextInt(5000);
                    return change("OrganizationNumberOfEmployees", employees, "numberofemployees", employees);
                }
            }
        }

        private static Change address(Random random, String fo, String dv) {
            String street = (1 + random.nextInt(999)) + " " + pick(random, STREETS);
            String city = pick(random, CITIES);
            String zip = String.format("%05d", 10000 + random.nextInt(89999));
            return new Change(new JsonObject().put(fo + "Street", street).put(fo + "City", city).put(fo + "ZipCode", zip)
                    .put(fo + "CountryRegionISOCode", "USA"),
                    new JsonObject().put(dv + "line1", street).put(dv + "city", city).put(dv + "postalcode", zip)
                            .put(dv + "country", "USA"));
        }
    }

    /** Vendors V2 and msdyn_vendors (examples/maps/vendors.map). */
    private static final class Vendors extends DemoEntity {
        /** LanguageId values and their msdyn_language options, as vendors.map pairs them. */
        private static final List<Object[]> LANGUAGES = List.of(new Object[]{"en-us", 192350015}, new Object[]{"en-gb", 192350009},
                new Object[]{"de", 192350004}, new Object[]{"fr", 192350021});
        private static final String[] FIRST = {"Ann", "Ben", "Chen", "Dana", "Erik"};
        private static final String[] LAST = {"Berg", "Silva", "Novak", "Okafor", "Larsen"};

        Vendors() {
            super("vendors", "VendorsV2", "VendorAccountNumber", "msdyn_vendors", "msdyn_vendoraccountnumber", "msdyn_vendorid",
                    "msdyn_vendor");
        }

        @Override
        Change create(String account, long number, Random random, Binds binds) {
            String name = "Demo vendor " + number;
            String group = VENDOR_GROUPS[random.nextInt(VENDOR_GROUPS.length)][0];
            String currency = pick(random, CURRENCIES);
            Change form = new Change(
                    new JsonObject().put("dataAreaId", "usmf").put("VendorAccountNumber", account).put("VendorOrganizationName", name)
                            .put("VendorPartyType", "Organization").put("VendorGroupId", group).put("CurrencyCode", currency)
                            .put("LanguageId", "en-us"),
                    new JsonObject().put("msdyn_vendoraccountnumber", account).put("msdyn_name", name).put("msdyn_isperson", false)
                            .put("msdyn_language", 192350015)
                            .put("msdyn_company@odata.bind", binds.bind("cdm_companies", COMPANY))
                            .put("msdyn_vendorgroupid@odata.bind", binds.bind(DemoSetup.VENDOR_GROUP_TABLE, group))
                            .put("msdyn_currencycode@odata.bind", binds.bind("transactioncurrencies", currency)));
            for (int kind : new int[] {1, 2, 3, 4, 5}) {
                form = form.with(edit(kind, "new", random, binds));
            }
            return form;
        }

        @Override
        int kinds() {
            return 9;
        }

        @Override
        Change edit(int kind, String where, Random random, Binds binds) {
            switch (kind) {
                case 0: {
                    String name = "Renamed on " + where + " " + shortId(random);
                    return change("VendorOrganizationName", name, "msdyn_name", name);
                }
                case 1: {
                    // a sole proprietor or an organization; the contact person's name either way
                    boolean person = random.nextBoolean();
                    String first = pick(random, FIRST);
                    String last = pick(random, LAST);
                    return new Change(new JsonObject().put("VendorPartyType", person ? "Person" : "Organization")
                            .put("PersonFirstName", first).put("PersonLastName", last),
                            new JsonObject().put("msdyn_isperson", person).put("msdyn_firstname", first).put("msdyn_lastname", last));
                }
                case 2: {
                    String street = (1 + random.nextInt(999)) + " " + pick(random, STREETS);
                    String city = pick(random, CITIES);
                    String zip = String.format("%05d", 10000 + random.nextInt(89999));
                    return new Change(new JsonObject().put("AddressStreet", street).put("AddressCity", city).put("AddressZipCode", zip),
                            new JsonObject().put("msdyn_addressstreet", street).put("msdyn_addresscity", city)
                                    .put("msdyn_addresszipcode", zip));
                }
                case 3: {
                    String phone = phone(random);
                    String email = shortId(random) + "@vendor.example";
                    // sic: msdyn_pimaryphonenumber is Microsoft's column name
                    return new Change(new JsonObject().put("PrimaryPhoneNumber", phone).put("PrimaryEmailAddress", email),
                            new JsonObject().put("msdyn_pimaryphonenumber", phone).put("msdyn_primaryemailaddress", email));
                }
                case 4: {
                    BigDecimal limit = BigDecimal.valueOf(500L * (1 + random.nextInt(400)));
                    Object[] hold = ON_HOLD.get(random.nextInt(ON_HOLD.size()));
                    return new Change(new JsonObject().put("CreditLimit", limit).put("OnHoldStatus", hold[0]),
                            new JsonObject().put("msdyn_vendorcreditlimit", limit).put("msdyn_onholdstatus", hold[1]));
                }
                case 5: {
                    boolean minority = random.nextBoolean();
                    boolean woman = random.nextBoolean();
                    return new Change(new JsonObject().put("IsMinorityOwned", minority ? "Yes" : "No").put("IsWomanOwner", woman ? "Yes" : "No"),
                            new JsonObject().put("msdyn_isminorityowned", minority).put("msdyn_womanowner", woman));
                }
                case 6: {
                    Object[] language = LANGUAGES.get(random.nextInt(LANGUAGES.size()));
                    return change("LanguageId", language[0], "msdyn_language", language[1]);
                }
                case 7: {
                    String group = VENDOR_GROUPS[random.nextInt(VENDOR_GROUPS.length)][0];
                    return change("VendorGroupId", group, "msdyn_vendorgroupid@odata.bind", binds.bind(DemoSetup.VENDOR_GROUP_TABLE, group));
                }
                default: {
                    String currency = pick(random, CURRENCIES);
                    return change("CurrencyCode", currency, "msdyn_currencycode@odata.bind", binds.bind("transactioncurrencies", currency));
                }
            }
        }
    }

    private static Change change(String foField, Object foValue, String dataverseField, Object dataverseValue) {
        return new Change(new JsonObject().put(foField, foValue), new JsonObject().put(dataverseField, dataverseValue));
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String phone(Random random) {
        return String.format("+1 425 555 %04d", random.nextInt(10000));
    }

    static String shortId(Random random) {
        return Integer.toString(random.nextInt(1 << 20), 36);
    }
}
