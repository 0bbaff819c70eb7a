package io.dualsync.connector.fo;

import io.dualsync.auth.MsalTokenProvider;
import io.dualsync.connector.TargetConnector.ReadResult;
import io.dualsync.connector.WriteResult;
import io.dualsync.connector.WriteResult.Outcome;
import io.dualsync.connector.dataverse.Schemas;
import io.dualsync.connector.http.Emulated;
import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.Direction;
import io.dualsync.mapping.Payload;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dualsync.connector.http.Emulated.await;
import static org.assertj.core.api.Assertions.assertThat;

/** The F&O connector against the F&O emulator (auth on, demo seed), over real HTTP. */
class FoConnectorIT {
    private static final CompiledMap CUSTOMERS = Schemas.customers(Schemas.examples());
    private static final AtomicInteger NEXT = new AtomicInteger();

    private static Emulated emulated;
    private static MsalTokenProvider tokens;
    private static FoConnector fo;

    @BeforeAll
    static void start() {
        emulated = Emulated.start();
        tokens = new MsalTokenProvider(emulated.vertx, Emulated.identity(emulated.foUrl()));
        fo = new FoConnector(emulated.vertx, FoSettings.of(emulated.foUrl()), tokens);
    }

    @AfterAll
    static void stop() {
        fo.close();
        tokens.close();
        emulated.close();
    }

    @AfterEach
    void clearFaults() {
        emulated.clearFaults(emulated.foUrl());
    }

    /** A Dataverse account as the Dataverse connector reads it: lookups followed to their keys. */
    private static Map<String, Object> account(String number, String company) {
        Map<String, Object> a = new HashMap<>();
        a.put("accountnumber", number);
        a.put("name", "Litware " + number);
        a.put("customertypecode", 3);
        a.put("msdyn_company", Map.of("cdm_companycode", company));
        a.put("transactioncurrencyid", Map.of("isocurrencycode", "USD"));
        a.put("msdyn_customergroupid", Map.of("msdyn_groupid", "10"));
        a.put("address1_city", "Seattle");
        return a;
    }

    private static Payload toFo(Map<String, Object> account) {
        Payload p = CUSTOMERS.evaluate(Direction.DATAVERSE_TO_FO, account);
        assertThat(p.accepted()).isTrue();
        return p;
    }

    private static Map<String, Object> key(Payload p) {
        Map<String, Object> key = new LinkedHashMap<>();
        for (String field : CUSTOMERS.foKey()) {
            key.put(field, p.get(field));
        }
        return key;
    }

    private static String number() {
        return "FO-IT-" + NEXT.incrementAndGet();
    }

    private static JsonObject row(Map<String, Object> key) {
        return emulated.control(emulated.foUrl(), "GET", "rows/CustomersV3/"
                + java.net.URLEncoder.encode("dataAreaId='" + key.get("dataAreaId") + "',CustomerAccount='" + key.get("CustomerAccount") + "'",
                java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"), null);
    }

    @Test
    void clearedFields_becomeEmptyText_butNumbersAndEnumsAreLeftAlone_andACreateSendsNoEmpties() {
        FoConnector typed = new FoConnector(emulated.vertx, FoSettings.of(emulated.foUrl()), tokens, Schemas.examples());
        Map<String, Object> account = account(number(), "USMF");
        account.put("telephone1", "+1 425 555 0100");
        account.put("creditlimit", 1500);
        account.put("fax", null);
        Payload created = toFo(account);
        assertThat(await(typed.upsert("CustomersV3", key(created), created, null, null)).outcome()).isEqualTo(Outcome.OK);
        assertThat(row(key(created)).getString("PrimaryContactFax")).as("no null sent on create").isIn("", null);

        account.put("telephone1", null);
        account.put("creditlimit", null);
        Payload cleared = toFo(account);
        WriteResult r = await(typed.upsert("CustomersV3", key(cleared), cleared, null, null));

        assertThat(r.outcome()).as(r.message()).isEqualTo(Outcome.OK);
        JsonObject row = row(key(cleared));
        assertThat(row.getString("PrimaryContactPhone")).as("a cleared text field").isEmpty();
        assertThat(row.getValue("CreditLimit").toString()).as("F&O has no empty number: left as it was").startsWith("1500");
        typed.close();
    }

    @Test
    void upsert_createsAMissingCustomer_thenUpdatesIt_inAnotherCompanyThanTheDefault() {
        Map<String, Object> account = account(number(), "USRT");
        Payload created = toFo(account);

        WriteResult first = await(fo.upsert("CustomersV3", key(created), created, null, null));

        assertThat(first.outcome()).isEqualTo(Outcome.OK);
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.recordId()).isEqualTo("dataAreaId='usrt',CustomerAccount='" + account.get("accountnumber") + "'");
        JsonObject row = row(key(created));
        assertThat(row.getString("OrganizationName")).isEqualTo(account.get("name"));
        assertThat(row.getString("CustomerGroupId")).isEqualTo("10");
        assertThat(row.getString("SalesCurrencyCode")).isEqualTo("USD");
        assertThat(row.getString("DeliveryAddressCity")).isEqualTo("Seattle");

        account.put("name", "Litware renamed");
        account.put("msdyn_customergroupid", Map.of("msdyn_groupid", "20"));
        Payload updated = toFo(account);
        WriteResult second = await(fo.upsert("CustomersV3", key(updated), updated, null, null));

        assertThat(second.outcome()).isEqualTo(Outcome.OK);
        assertThat(second.status()).isEqualTo(204);
        JsonObject after = row(key(updated));
        assertThat(after.getString("OrganizationName")).isEqualTo("Litware renamed");
        assertThat(after.getString("CustomerGroupId")).isEqualTo("20");
    }

    @Test
    void read_givesTheRecordWithItsEtag_andNullWhenMissing() {
        Payload p = toFo(account(number(), "USMF"));
        await(fo.upsert("CustomersV3", key(p), p, null, null));

        ReadResult read = await(fo.read("CustomersV3", key(p)));

        assertThat(read.values()).containsEntry("OrganizationName", p.get("OrganizationName"))
                .containsEntry("CustomerAccount", p.get("CustomerAccount"))
                .doesNotContainKey("@odata.etag");
        assertThat(read.etag()).isNotBlank();
        assertThat(await(fo.read("CustomersV3", Map.of("dataAreaId", "usmf", "CustomerAccount", "NO-SUCH")))).isNull();
    }

    @Test
    void delete_removesTheCustomer_andDeletingAgainIsFine() {
        Payload p = toFo(account(number(), "DEMF"));
        await(fo.upsert("CustomersV3", key(p), p, null, null));

        assertThat(await(fo.delete("CustomersV3", key(p), null)).outcome()).isEqualTo(Outcome.OK);
        assertThat(await(fo.read("CustomersV3", key(p)))).isNull();
        assertThat(await(fo.delete("CustomersV3", key(p), null)).outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void aStaleIfMatch_isPreconditionFailed_andOnAMissingRecordNotFound() {
        Map<String, Object> account = account(number(), "USMF");
        Payload p = toFo(account);
        await(fo.upsert("CustomersV3", key(p), p, null, null));
        String etag = await(fo.read("CustomersV3", key(p))).etag();
        account.put("name", "changed meanwhile");
        Payload changed = toFo(account);
        await(fo.upsert("CustomersV3", key(changed), changed, null, null));

        WriteResult stale = await(fo.upsert("CustomersV3", key(p), p, etag, null));
        Payload missing = toFo(account(number(), "USMF"));
        WriteResult gone = await(fo.upsert("CustomersV3", key(missing), missing, etag, null));

        assertThat(stale.outcome()).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(gone.outcome()).isEqualTo(Outcome.NOT_FOUND);
        assertThat(await(fo.read("CustomersV3", key(missing)))).as("not created").isNull();
    }

    @Test
    void aValueFoRefuses_isPermanent_withFosInnerMessage() {
        Map<String, Object> account = account(number(), "USMF");
        account.put("msdyn_customergroupid", null); // CustomerGroupId is mandatory in F&O
        Payload p = toFo(account);

        WriteResult r = await(fo.upsert("CustomersV3", key(p), p, null, null));

        assertThat(r.outcome()).isEqualTo(Outcome.PERMANENT);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.message()).contains("CustomerGroupId").doesNotContain("An error has occurred.");
    }

    @Test
    void throttled_reportsRetryAfter_and5xxIsRetryable() {
        Payload p = toFo(account(number(), "USMF"));
        emulated.fault(emulated.foUrl(), new JsonObject().put("type", "throttle").put("entitySet", "CustomersV3")
                .put("retryAfterSeconds", 2).put("count", 1));

        WriteResult throttled = await(fo.upsert("CustomersV3", key(p), p, null, null));
        emulated.fault(emulated.foUrl(), new JsonObject().put("type", "error").put("entitySet", "CustomersV3")
                .put("status", 502).put("count", 1));
        WriteResult failing = await(fo.upsert("CustomersV3", key(p), p, null, null));

        assertThat(throttled.outcome()).isEqualTo(Outcome.THROTTLED);
        assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(failing.outcome()).isEqualTo(Outcome.RETRYABLE);
        assertThat(failing.status()).isEqualTo(502);
    }
}
