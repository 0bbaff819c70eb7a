package io.dualsync.benchmarks;

import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.Diagnostic;
import io.dualsync.mapping.Direction;
import io.dualsync.mapping.LookupRef;
import io.dualsync.mapping.MapCompiler;
import io.dualsync.mapping.Payload;
import io.dualsync.mapping.SourceFile;
import io.dualsync.mapping.schema.EntitySchema;
import io.dualsync.mapping.schema.SchemaLoader;
import io.dualsync.mapping.schema.SchemaSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of mapping one record with the full out-of-box Customers V3 &lt;-&gt; accounts map
 * ({@code examples/maps/customers.map}, about 60 fields with lookups, value maps, defaults and a
 * source filter), in both directions: {@link CompiledMap#evaluate} from a parsed source record to
 * the target {@link Payload}. This is the per-record CPU cost of the mapping step alone: no JSON
 * parsing or writing, no lookup resolution, no I/O.
 *
 * <p>Each invocation maps one record taken in turn from a pool of {@code pool} distinct records
 * prepared in {@link #setUp()} the way Jackson would hand them over ({@code LinkedHashMap}s of
 * {@code String}, {@code Integer}, {@code Double} or {@code BigDecimal}, {@code Boolean}, and for
 * Dataverse nested maps for expanded lookups), so the figure is not that of one hot record.
 * <ul>
 *   <li>{@code foToDataverse}: CustomersV3 records (PartyType Organization, every F&amp;O field of the
 *       map present, OnHoldStatus and NoYes symbols, decimals as Double or BigDecimal) to accounts.</li>
 *   <li>{@code dataverseToFo}: account records (customertypecode 3, choices as Integer, yes/no as
 *       Boolean, lookups expanded, e.g. {@code msdyn_customergroupid: {msdyn_groupid: "10"}}) to
 *       CustomersV3.</li>
 * </ul>
 * Throughput mode on one thread: the score in ops/s is records mapped per second on one core.
 * The map text and schemas are read from the classpath ({@code /maps/...}, copied from
 * {@code examples/maps} by benchmarks/pom.xml); the set-up fails loudly if the map does not
 * compile or a mapped record does not come out as expected.
 *
 * <p>Run (from the repository root):
 * <pre>
 * mvn -B -q install -DskipTests -pl benchmarks -am
 * java -jar benchmarks/target/benchmarks.jar MapEvaluationBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * </pre>
 * Add {@code -prof gc} for the allocation per record ({@code gc.alloc.rate.norm}, bytes/op).
 * Results: docs/benchmarks.md, "Mapping evaluation (JMH)".
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MapEvaluationBenchmark {
    /**
     * Distinct prepared records per direction, a power of two. 16 records stay in the CPU caches, as a
     * record does that was just parsed from an event; 1024 records (about 6 MB) do not, which shows
     * the cost of reading records from main memory.
     */
    @Param({"16", "1024"})
    int pool;

    /** Classpath folder holding customers.map and schemas/. */
    private static final String MAPS = "/maps/";

    /** The schemas of examples/maps/schemas (customers.map needs CustomersV3, accounts and the lookup targets). */
    private static final String[] SCHEMAS = {
        "CustomersV3", "accounts", "cdm_companies", "transactioncurrencies", "msdyn_customergroups",
        "msdyn_paymentdays", "msdyn_customerpaymentmethods", "msdyn_paymentschedules", "msdyn_paymentterms",
        "msdyn_vendors", "contacts", "VendorsV2", "CustomerGroups", "LegalEntities", "CDSContactPersonsV2",
    };

    /** Target fields a fully populated record yields: 59 field lines + company to Dataverse, 55 + company to F&O. */
    static final int FO_TO_DATAVERSE_FIELDS = 60;
    static final int DATAVERSE_TO_FO_FIELDS = 56;

    private CompiledMap map;
    private Map<String, Object>[] foRecords;
    private Map<String, Object>[] dataverseRecords;
    private int foNext;
    private int dataverseNext;

    @Setup(Level.Trial)
    public void setUp() {
        map = compileCustomersMap();
        Random random = new Random(20240611L);
        foRecords = newPool(pool);
        dataverseRecords = newPool(pool);
        for (int i = 0; i < pool; i++) {
            Customer c = Customer.random(i, random);
            foRecords[i] = c.foRecord();
            dataverseRecords[i] = c.dataverseRecord();
        }
        verify();
    }

    @Benchmark
    public void foToDataverse(Blackhole bh) {
        Map<String, Object> record = foRecords[foNext];
        foNext = (foNext + 1) & (pool - 1);
        bh.consume(map.evaluate(Direction.FO_TO_DATAVERSE, record));
    }

    @Benchmark
    public void dataverseToFo(Blackhole bh) {
        Map<String, Object> record = dataverseRecords[dataverseNext];
        dataverseNext = (dataverseNext + 1) & (pool - 1);
        bh.consume(map.evaluate(Direction.DATAVERSE_TO_FO, record));
    }

    // ---- set-up -------------------------------------------------------------------------------

    static CompiledMap compileCustomersMap() {
        SchemaSet schemas = SchemaSet.empty();
        List<Diagnostic> problems = new ArrayList<>();
        for (String name : SCHEMAS) {
            String path = MAPS + "schemas/" + name + SchemaLoader.SUFFIX;
            EntitySchema schema = SchemaLoader.load(new SourceFile(path, resource(path)), problems);
            if (schema == null) {
                throw new IllegalStateException("schema " + path + " does not load: "
                        + problems.stream().map(Diagnostic::render).toList());
            }
            schemas.add(schema);
        }
        String path = MAPS + "customers.map";
        MapCompiler.Result result = MapCompiler.compile(List.of(new SourceFile(path, resource(path))), schemas);
        if (!result.ok() || result.maps().size() != 1) {
            throw new IllegalStateException(path + " does not compile: "
                    + result.errors().stream().map(Diagnostic::render).toList());
        }
        return result.maps().get(0);
    }

    private static String resource(String path) {
        try (InputStream in = MapEvaluationBenchmark.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the classpath; benchmarks/pom.xml copies examples/maps"
                        + " into the jar (rebuild with mvn install -pl benchmarks -am)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path, e);
        }
    }

    /** Maps every pooled record once each way and checks a few outputs, so the benchmark measures real work. */
    private void verify() {
        for (int i = 0; i < pool; i++) {
            Payload to = map.evaluate(Direction.FO_TO_DATAVERSE, foRecords[i]);
            Payload back = map.evaluate(Direction.DATAVERSE_TO_FO, dataverseRecords[i]);
            check(to.accepted() && setCount(to) == FO_TO_DATAVERSE_FIELDS,
                    "FO_TO_DATAVERSE record " + i + ": expected " + FO_TO_DATAVERSE_FIELDS + " fields, got " + to);
            check(back.accepted() && setCount(back) == DATAVERSE_TO_FO_FIELDS,
                    "DATAVERSE_TO_FO record " + i + ": expected " + DATAVERSE_TO_FO_FIELDS + " fields, got " + back);
        }
        Payload p = map.evaluate(Direction.FO_TO_DATAVERSE, foRecords[0]);
        int slot = slot(p, "msdyn_customergroupid.msdyn_groupid");
        LookupRef ref = p.lookup(slot);
        check(ref != null && ref.column().equals("msdyn_customergroupid") && ref.relatedKey().equals("msdyn_groupid")
                        && Objects.equals(p.value(slot), foRecords[0].get("CustomerGroupId")),
                "customer group lookup not mapped: " + ref + " = " + p.value(slot));
        check(p.lookup(slot(p, "msdyn_company.cdm_companycode")) != null, "company lookup missing");
        check(Objects.equals(p.get("customertypecode"), 3L), "customertypecode default: " + p.get("customertypecode"));
        check(Objects.equals(p.get("msdyn_onholdstatus"),
                        Customer.ON_HOLD_CODES[Customer.indexOf(Customer.ON_HOLD, foRecords[0].get("OnHoldStatus"))]),
                "OnHoldStatus value map: " + p.get("msdyn_onholdstatus"));
        check(p.get("creditlimit") instanceof BigDecimal, "creditlimit not a decimal: " + p.get("creditlimit"));

        Payload b = map.evaluate(Direction.DATAVERSE_TO_FO, dataverseRecords[0]);
        check(Objects.equals(b.get("CustomerGroupId"), foRecords[0].get("CustomerGroupId")),
                "expanded lookup not read: " + b.get("CustomerGroupId"));
        check(Objects.equals(b.get("OnHoldStatus"), foRecords[0].get("OnHoldStatus")), "msdyn_onholdstatus back: " + b.get("OnHoldStatus"));
        check(String.valueOf(foRecords[0].get("dataAreaId")).equalsIgnoreCase(String.valueOf(b.get("dataAreaId"))),
                "company back: " + b.get("dataAreaId"));
        check("Organization".equals(b.get("PartyType")) && "en-us".equals(b.get("LanguageId")), "F&O defaults: " + b);
    }

    private static int setCount(Payload p) {
        int n = 0;
        for (int i = 0; i < p.slots(); i++) {
            if (p.isSet(i)) {
                n++;
            }
        }
        return n;
    }

    private static int slot(Payload p, String name) {
        for (int i = 0; i < p.slots(); i++) {
            if (p.name(i).equals(name)) {
                return i;
            }
        }
        throw new IllegalStateException("no target slot " + name + " in " + p);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException("MapEvaluationBenchmark set-up check failed: " + message);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object>[] newPool(int size) {
        return (Map<String, Object>[]) new Map[size];
    }

    /** One made-up customer, rendered as both services would send it. */
    static final class Customer {
        static final String[] ON_HOLD = {"No", "Invoice", "All", "Payment", "Requisition", "Never"};
        static final Long[] ON_HOLD_CODES = {806380000L, 806380001L, 806380002L, 806380003L, 806380004L, 806380005L};
        private static final String[] COMPANIES = {"usmf", "usrt", "usp2", "demf", "gbsi"};
        private static final String[] GROUPS = {"10", "20", "30", "40", "80", "90"};
        private static final String[] CURRENCIES = {"USD", "EUR", "GBP", "CAD"};
        private static final String[] PAYMENT_TERMS = {"Net10", "Net30", "Net45", "COD", "M15"};
        private static final String[] PAYMENT_METHODS = {"CHECK", "ELECTRONIC", "CASH", "CARD"};
        private static final String[] PAYMENT_DAYS = {"", "Fri", "Mon", "15th"};
        private static final String[] SCHEDULES = {"", "Monthly", "3 payments", "Quarterly"};
        private static final String[] RATINGS = {"", "A", "AA", "AAA", "B"};
        private static final String[] CITIES = {"Seattle", "Redmond", "Bellevue", "Tacoma", "Portland", "Spokane", "Boise"};
        private static final String[] STATES = {"WA", "OR", "ID", "CA"};
        private static final String[] COUNTIES = {"KING", "PIERCE", "SPOKANE", "MULTNOMAH", "ADA"};
        private static final String[] STREETS = {"Main St", "1st Ave", "Pine St", "Market Blvd", "Lake Dr", "Oak Way"};
        private static final String[] WORDS = {"Contoso", "Fabrikam", "Northwind", "Adatum", "Litware", "Tailspin",
            "Proseware", "Wingtip", "Fourth Coffee", "Alpine Ski", "Coho", "Trey Research"};
        private static final String[] SUFFIXES = {"Inc.", "LLC", "Ltd", "Corp.", "Retail", "Wholesale"};

        final Map<String, Object> fo = new LinkedHashMap<>();
        final Map<String, Object> dv = new LinkedHashMap<>();

        static Customer random(int i, Random r) {
            Customer c = new Customer();
            String company = pick(r, COMPANIES);
            String account = "US-" + String.format("%06d", 1000 + i);
            String name = pick(r, WORDS) + " " + pick(r, WORDS) + " " + pick(r, SUFFIXES);
            String domain = name.toLowerCase().replaceAll("[^a-z]", "") + ".example.com";
            String group = pick(r, GROUPS);
            String currency = pick(r, CURRENCIES);
            int employees = 5 + r.nextInt(20000);
            Number creditLimit;
            double limit = (1 + r.nextInt(400)) * 250.0;
            switch (i % 3) {
                case 0 -> creditLimit = limit; // Double, as Jackson parses 12500.0
                case 1 -> creditLimit = new BigDecimal((long) limit + ".50"); // BigDecimal (USE_BIG_DECIMAL_FOR_FLOATS)
                default -> creditLimit = (int) limit; // Integer, as Jackson parses 12500
            }
            boolean creditMandatory = r.nextInt(4) == 0;
            boolean oneTime = r.nextInt(20) == 0;
            boolean invoiceAccount = r.nextBoolean();
            int onHold = r.nextInt(10) < 7 ? 0 : r.nextInt(ON_HOLD.length);
            String billing = r.nextInt(5) == 0 ? "US-" + String.format("%06d", 1000 + r.nextInt(1024)) : "";
            String vendor = r.nextInt(8) == 0 ? "V-" + String.format("%06d", r.nextInt(5000)) : "";
            String terms = pick(r, PAYMENT_TERMS);
            String method = pick(r, PAYMENT_METHODS);
            String day = pick(r, PAYMENT_DAYS);
            String schedule = pick(r, SCHEDULES);
            int baseDays = r.nextInt(4) * 15;
            String party = String.format("%09d", 4000 + i);
            String contact = r.nextInt(3) == 0 ? "" : String.format("%09d", 9000 + r.nextInt(100000));
            String rating = pick(r, RATINGS);
            String ident = r.nextBoolean() ? "" : "ID-" + r.nextInt(1_000_000);
            String tax = r.nextInt(3) == 0 ? "TX" + (100000 + r.nextInt(900000)) : "";
            String memo = r.nextInt(3) == 0 ? "Key account since " + (1995 + r.nextInt(30)) + "; call before delivery." : "";
            String invCity = pick(r, CITIES);
            String invState = pick(r, STATES);
            String invCounty = pick(r, COUNTIES);
            String invStreet = (1 + r.nextInt(9999)) + " " + pick(r, STREETS);
            String invZip = String.valueOf(98000 + r.nextInt(1000));
            double invLat = degrees(45 + r.nextDouble() * 4);
            double invLon = degrees(-124 + r.nextDouble() * 7);
            String delCity = pick(r, CITIES);
            String delState = pick(r, STATES);
            String delCounty = pick(r, COUNTIES);
            String delStreet = (1 + r.nextInt(9999)) + " " + pick(r, STREETS) + (r.nextBoolean() ? "\nSuite " + r.nextInt(500) : "");
            String delZip = String.valueOf(98000 + r.nextInt(1000));
            double delLat = degrees(45 + r.nextDouble() * 4);
            double delLon = degrees(-124 + r.nextDouble() * 7);
            String phone = "+1 425-555-" + String.format("%04d", r.nextInt(10000));
            String fax = r.nextBoolean() ? "+1 425-555-" + String.format("%04d", r.nextInt(10000)) : "";
            String email = "ap@" + domain;
            String url = "https://www." + domain;
            String twitter = r.nextBoolean() ? "@" + domain.substring(0, Math.min(12, domain.indexOf('.'))) : "";
            String facebook = r.nextBoolean() ? "https://facebook.com/" + domain.substring(0, domain.indexOf('.')) : "";
            String linkedin = r.nextBoolean() ? "https://linkedin.com/company/" + domain.substring(0, domain.indexOf('.')) : "";
            String phoneExt = r.nextInt(4) == 0 ? String.valueOf(100 + r.nextInt(900)) : "";
            String faxExt = "";

            Map<String, Object> f = c.fo;
            f.put("@odata.etag", "W/\"JzEsNTYzNzE0NDU3Nic=" + i + "\"");
            f.put("dataAreaId", company);
            f.put("CustomerAccount", account);
            f.put("PartyType", "Organization");
            f.put("PartyNumber", party);
            f.put("OrganizationName", name);
            f.put("NameAlias", name.substring(0, Math.min(20, name.length())));
            f.put("OrganizationNumberOfEmployees", employees);
            f.put("CustomerGroupId", group);
            f.put("SalesCurrencyCode", currency);
            f.put("CreditLimit", creditLimit);
            f.put("CreditLimitIsMandatory", creditMandatory ? "Yes" : "No");
            f.put("CreditRating", rating);
            f.put("IdentificationNumber", ident);
            f.put("InvoiceAccount", billing);
            f.put("InvoiceAddress", invoiceAccount ? "InvoiceAccount" : "OrderAccount");
            f.put("IsOneTimeCustomer", oneTime ? "Yes" : "No");
            f.put("OnHoldStatus", ON_HOLD[onHold]);
            f.put("PartyCountry", "USA");
            f.put("PartyState", invState);
            f.put("PaymentDay", day);
            f.put("PaymentMethod", method);
            f.put("PaymentSchedule", schedule);
            f.put("PaymentTerms", terms);
            f.put("PaymentTermsBaseDays", baseDays);
            f.put("SalesMemo", memo);
            f.put("SalesTaxGroup", invState);
            f.put("TaxExemptNumber", tax);
            f.put("VendorAccount", vendor);
            f.put("LanguageId", "en-us");
            f.put("ContactPersonId", contact);
            f.put("AddressCountryRegionId", "USA");
            f.put("InvoiceAddressCity", invCity);
            f.put("InvoiceAddressCountryRegionISOCode", "US");
            f.put("InvoiceAddressCounty", invCounty);
            f.put("InvoiceAddressState", invState);
            f.put("InvoiceAddressStreet", invStreet);
            f.put("InvoiceAddressZipCode", invZip);
            f.put("InvoiceAddressLatitude", invLat);
            f.put("InvoiceAddressLongitude", invLon);
            f.put("DeliveryAddressCity", delCity);
            f.put("DeliveryAddressCountryRegionISOCode", "US");
            f.put("DeliveryAddressCounty", delCounty);
            f.put("DeliveryAddressState", delState);
            f.put("DeliveryAddressStreet", delStreet);
            f.put("DeliveryAddressZipCode", delZip);
            f.put("DeliveryAddressLatitude", delLat);
            f.put("DeliveryAddressLongitude", delLon);
            f.put("DeliveryAddressValidFrom", "2019-03-0" + (1 + r.nextInt(9)) + "T00:00:00Z");
            f.put("FullPrimaryAddress", delStreet + "\n" + delCity + ", " + delState + " " + delZip + "\nUSA");
            f.put("PrimaryContactEmail", email);
            f.put("PrimaryContactEmailDescription", "Accounts payable");
            f.put("PrimaryContactFax", fax);
            f.put("PrimaryContactFaxDescription", fax.isEmpty() ? "" : "Main fax");
            f.put("PrimaryContactFaxExtension", faxExt);
            f.put("PrimaryContactPhone", phone);
            f.put("PrimaryContactPhoneDescription", "Main");
            f.put("PrimaryContactPhoneExtension", phoneExt);
            f.put("PrimaryContactTwitter", twitter);
            f.put("PrimaryContactTwitterDescription", twitter.isEmpty() ? "" : "Twitter");
            f.put("PrimaryContactURL", url);
            f.put("PrimaryContactURLDescription", "Web site");
            f.put("PrimaryContactFacebook", facebook);
            f.put("PrimaryContactFacebookDescription", facebook.isEmpty() ? "" : "Facebook");
            f.put("PrimaryContactLinkedIn", linkedin);
            f.put("PrimaryContactLinkedInDescription", linkedin.isEmpty() ? "" : "LinkedIn");

            Map<String, Object> d = c.dv;
            d.put("@odata.etag", "W/\"" + (80_000_000 + i) + "\"");
            d.put("accountid", new java.util.UUID(0x5f0a_1c2b_0000_11efL + i, 0x8a3b_0022_4832_0000L + i).toString());
            d.put("modifiedon", "2024-06-" + (10 + r.nextInt(10)) + "T0" + r.nextInt(10) + ":15:42Z");
            d.put("versionnumber", 80_000_000L + i);
            d.put("statecode", 0);
            d.put("msdyn_company", nested("cdm_companycode", company.toUpperCase()));
            d.put("accountnumber", account);
            d.put("name", name);
            d.put("customertypecode", 3);
            d.put("address1_addresstypecode", 2);
            d.put("address2_city", invCity);
            d.put("address2_country", "US");
            d.put("address2_county", invCounty);
            d.put("address2_latitude", invLat);
            d.put("address2_longitude", invLon);
            d.put("address2_stateorprovince", invState);
            d.put("address2_line1", invStreet);
            d.put("address2_postalcode", invZip);
            d.put("creditlimit", creditLimit.doubleValue()); // Money comes as a JSON number
            d.put("address1_city", delCity);
            d.put("address1_country", "US");
            d.put("address1_county", delCounty);
            d.put("address1_latitude", delLat);
            d.put("address1_longitude", delLon);
            d.put("address1_postalcode", delZip);
            d.put("address1_line1", delStreet);
            d.put("address1_stateorprovince", delState);
            d.put("numberofemployees", employees);
            d.put("emailaddress1", email);
            d.put("fax", fax.isEmpty() ? null : fax);
            d.put("telephone1", phone);
            d.put("primarytwitterid", twitter.isEmpty() ? null : twitter);
            d.put("websiteurl", url);
            d.put("transactioncurrencyid", nested("isocurrencycode", currency));
            d.put("description", memo.isEmpty() ? null : memo);
            d.put("msdyn_creditlimitismandatory", creditMandatory);
            d.put("msdyn_creditrating", rating.isEmpty() ? null : rating);
            d.put("msdyn_customergroupid", nested("msdyn_groupid", group));
            d.put("msdyn_identificationnumber", ident.isEmpty() ? null : ident);
            d.put("msdyn_billingaccount", billing.isEmpty() ? null : nested("accountnumber", billing));
            d.put("msdyn_invoiceaddress", invoiceAccount ? 806380000 : 806380001);
            d.put("msdyn_onetimecustomer", oneTime);
            d.put("msdyn_onholdstatus", 806380000 + onHold);
            d.put("msdyn_partycountry", "USA");
            d.put("msdyn_partystateprovince", invState);
            d.put("msdyn_paymentday", day.isEmpty() ? null : nested("msdyn_name", day));
            d.put("msdyn_customerpaymentmethod", nested("msdyn_name", method));
            d.put("msdyn_paymentschedule", schedule.isEmpty() ? null : nested("msdyn_name", schedule));
            d.put("msdyn_paymentterm", nested("msdyn_name", terms));
            d.put("msdyn_paymenttermsbasedays", baseDays);
            d.put("msdyn_primaryfacebookid", facebook.isEmpty() ? null : facebook);
            d.put("msdyn_faxextension", null);
            d.put("msdyn_primarylinkedinid", linkedin.isEmpty() ? null : linkedin);
            d.put("msdyn_taxexemptnumber", tax.isEmpty() ? null : tax);
            d.put("msdyn_vendor", vendor.isEmpty() ? null : nested("msdyn_vendoraccountnumber", vendor));
            d.put("msdyn_emailaddress1description", "Accounts payable");
            d.put("msdyn_primaryfacebookdescription", facebook.isEmpty() ? null : "Facebook");
            d.put("msdyn_faxdescription", fax.isEmpty() ? null : "Main fax");
            d.put("msdyn_primarylinkedindescrption", linkedin.isEmpty() ? null : "LinkedIn");
            d.put("msdyn_telephone1description", "Main");
            d.put("msdyn_primarytwitteriddescription", twitter.isEmpty() ? null : "Twitter");
            d.put("msdyn_websiteurldescription", "Web site");
            d.put("msdyn_telephone1extension", phoneExt.isEmpty() ? null : phoneExt);
            d.put("msdyn_partynumber", party);
            d.put("primarycontactid", contact.isEmpty() ? null : nested("msdyn_contactpersonid", contact));
            return c;
        }

        Map<String, Object> foRecord() {
            return fo;
        }

        Map<String, Object> dataverseRecord() {
            return dv;
        }

        static int indexOf(String[] values, Object v) {
            for (int i = 0; i < values.length; i++) {
                if (values[i].equals(v)) {
                    return i;
                }
            }
            throw new IllegalArgumentException(String.valueOf(v));
        }

        /** A coordinate as the services write it (6 decimals, e.g. 47.606209), parsed to a Double as Jackson would. */
        private static double degrees(double d) {
            return Double.parseDouble(BigDecimal.valueOf(Math.round(d * 1e6), 6).toPlainString());
        }

        private static Map<String, Object> nested(String key, Object value) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(key, value);
            return m;
        }

        private static String pick(Random r, String[] values) {
            return values[r.nextInt(values.length)];
        }
    }
}
