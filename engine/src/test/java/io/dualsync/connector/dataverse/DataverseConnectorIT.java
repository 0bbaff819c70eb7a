package io.dualsync.connector.dataverse;

import io.dualsync.auth.MsalTokenProvider;
import io.dualsync.auth.TokenProvider;
import io.dualsync.connector.TargetConnector.ReadResult;
import io.dualsync.connector.WriteResult;
import io.dualsync.connector.WriteResult.Outcome;
import io.dualsync.connector.http.Emulated;
import io.dualsync.connector.http.TargetReadException;
import io.dualsync.mapping.CompiledMap;
import io.dualsync.mapping.Direction;
import io.dualsync.mapping.Payload;
import io.dualsync.mapping.schema.SchemaSet;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.dualsync.connector.http.Emulated.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Dataverse connector against the Dataverse emulator (auth on, demo seed), over real HTTP. */
class DataverseConnectorIT {
    private static final SchemaSet SCHEMAS = Schemas.examples();
    private static final CompiledMap CUSTOMERS = Schemas.customers(SCHEMAS);
    private static final AtomicInteger NEXT = new AtomicInteger();

    private static Emulated emulated;
    private static MsalTokenProvider tokens;
    private static DataverseConnector dataverse;

    @BeforeAll
    static void start() {
        emulated = Emulated.start();
        tokens = new MsalTokenProvider(emulated.vertx, Emulated.identity(emulated.dataverseUrl()));
        dataverse = connector(tokens, DataverseSettings.of(emulated.dataverseUrl()));
    }

    @AfterAll
    static void stop() {
        dataverse.close();
        tokens.close();
        emulated.close();
    }

    @AfterEach
    void clearFaults() {
        emulated.clearFaults(emulated.dataverseUrl());
    }

    private static DataverseConnector connector(TokenProvider tokens, DataverseSettings settings) {
        return new DataverseConnector(emulated.vertx, settings, tokens, SCHEMAS, List.of(CUSTOMERS));
    }

    /** An F&O customer as CustomersV3 sends it. */
    private static Map<String, Object> foCustomer(String account) {
        Map<String, Object> c = new HashMap<>();
        c.put("dataAreaId", "USMF");
        c.put("CustomerAccount", account);
        c.put("PartyType", "Organization");
        c.put("OrganizationName", "Fabrikam " + account);
        c.put("CustomerGroupId", "10");
        c.put("SalesCurrencyCode", "EUR");
        c.put("CreditLimit", 1500);
        c.put("OnHoldStatus", "Invoice");
        return c;
    }

    private static Payload toDataverse(Map<String, Object> fo) {
        Payload p = CUSTOMERS.evaluate(Direction.FO_TO_DATAVERSE, fo);
        assertThat(p.accepted()).isTrue();
        return p;
    }

    /** The Dataverse key of a payload, in the map's key order. */
    private static Map<String, Object> key(Payload p) {
        Map<String, Object> key = new LinkedHashMap<>();
        for (String path : CUSTOMERS.dataverseKey()) {
            key.put(path, p.get(path));
        }
        return key;
    }

    private static String account() {
        return "DV-IT-" + NEXT.incrementAndGet();
    }

    /** The emulator's row as it stores it (lookups under their column name), read over the control API. */
    private static JsonObject row(String accountId) {
        return emulated.control(emulated.dataverseUrl(), "GET", "rows/accounts/" + accountId, null);
    }

    private static String idOf(String entitySet, String field, String value) {
        for (Object r : emulated.rows(emulated.dataverseUrl(), entitySet)) {
            JsonObject o = (JsonObject) r;
            if (value.equals(o.getString(field))) {
                return o.getString(entitySet.equals("cdm_companies") ? "cdm_companyid"
                        : entitySet.equals("transactioncurrencies") ? "transactioncurrencyid" : "msdyn_customergroupid");
            }
        }
        throw new AssertionError("no " + entitySet + " row with " + field + " = " + value);
    }

    @Test
    void upsert_createsThenUpdates_anAccountByAlternateKey_withCompanyGroupAndCurrencyBound() {
        String account = account();
        Map<String, Object> fo = foCustomer(account);
        Payload created = toDataverse(fo);

        WriteResult first = await(dataverse.upsert("accounts", key(created), created, null, "dualsync:test"));

        assertThat(first.outcome()).isEqualTo(Outcome.OK);
        assertThat(first.recordId()).matches("[0-9a-f-]{36}");
        assertThat(first.etag()).startsWith("W/\"");
        JsonObject row = row(first.recordId());
        assertThat(row.getString("accountnumber")).isEqualTo(account);
        assertThat(row.getString("name")).isEqualTo("Fabrikam " + account);
        assertThat(row.getString("msdyn_company")).isEqualTo(idOf("cdm_companies", "cdm_companycode", "USMF"));
        assertThat(row.getString("transactioncurrencyid")).isEqualTo(idOf("transactioncurrencies", "isocurrencycode", "EUR"));
        String usmf = row.getString("msdyn_company");
        String group10 = groupOf(usmf, "10");
        assertThat(row.getString("msdyn_customergroupid")).isEqualTo(group10);
        assertThat(row.getInteger("msdyn_onholdstatus")).isEqualTo(806380001);

        fo.put("OrganizationName", "Fabrikam renamed");
        fo.put("CustomerGroupId", "20");
        Payload updated = toDataverse(fo);
        WriteResult second = await(dataverse.upsert("accounts", key(updated), updated, null, null));

        assertThat(second.outcome()).isEqualTo(Outcome.OK);
        assertThat(second.recordId()).isEqualTo(first.recordId());
        assertThat(second.etag()).isNotEqualTo(first.etag());
        JsonObject after = row(first.recordId());
        assertThat(after.getString("name")).isEqualTo("Fabrikam renamed");
        assertThat(after.getString("msdyn_customergroupid")).isEqualTo(groupOf(usmf, "20"));
    }

    private static String groupOf(String companyId, String groupId) {
        for (Object r : emulated.rows(emulated.dataverseUrl(), "msdyn_customergroups")) {
            JsonObject o = (JsonObject) r;
            if (groupId.equals(o.getString("msdyn_groupid")) && companyId.equals(o.getString("msdyn_company"))) {
                return o.getString("msdyn_customergroupid");
            }
        }
        throw new AssertionError("no customer group " + groupId + " in company " + companyId);
    }

    @Test
    void aMissingLookupTarget_isPermanent_withDataversesMessage() {
        Map<String, Object> fo = foCustomer(account());
        fo.put("CustomerGroupId", "99");
        Payload p = toDataverse(fo);

        WriteResult r = await(dataverse.upsert("accounts", key(p), p, null, null));

        assertThat(r.outcome()).isEqualTo(Outcome.PERMANENT);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.message()).contains("does not exist").contains("msdyn_customergroup");
    }

    @Test
    void anUnknownCompany_isPermanent_withDataversesMessage() {
        Map<String, Object> fo = foCustomer(account());
        fo.put("dataAreaId", "ZZZZ");
        Payload p = toDataverse(fo);

        WriteResult r = await(dataverse.upsert("accounts", key(p), p, null, null));

        assertThat(r.outcome()).isEqualTo(Outcome.PERMANENT);
        assertThat(r.message()).contains("does not exist").contains("cdm_company");
    }

    @Test
    void aStaleIfMatch_isPreconditionFailed_andTheCurrentOneWrites() {
        Map<String, Object> fo = foCustomer(account());
        Payload p = toDataverse(fo);
        WriteResult created = await(dataverse.upsert("accounts", key(p), p, null, null));
        fo.put("OrganizationName", "changed meanwhile");
        Payload changed = toDataverse(fo);
        WriteResult current = await(dataverse.upsert("accounts", key(changed), changed, null, null));

        WriteResult stale = await(dataverse.upsert("accounts", key(p), p, created.etag(), null));
        WriteResult fresh = await(dataverse.upsert("accounts", key(p), p, current.etag(), null));

        assertThat(stale.outcome()).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(stale.status()).isEqualTo(412);
        assertThat(fresh.outcome()).isEqualTo(Outcome.OK);
        assertThat(row(created.recordId()).getString("name")).isEqualTo(p.get("name"));
    }

    @Test
    void ifMatchOnADeletedRecord_isNotFound_andDoesNotRecreateIt() {
        Payload p = toDataverse(foCustomer(account()));
        WriteResult created = await(dataverse.upsert("accounts", key(p), p, null, null));
        assertThat(await(dataverse.delete("accounts", key(p), null)).outcome()).isEqualTo(Outcome.OK);

        WriteResult r = await(dataverse.upsert("accounts", key(p), p, created.etag(), null));

        assertThat(r.outcome()).isEqualTo(Outcome.NOT_FOUND);
        assertThat(await(dataverse.read("accounts", key(p)))).isNull();
    }

    @Test
    void throttled_reportsRetryAfter() {
        emulated.fault(emulated.dataverseUrl(), new JsonObject().put("type", "throttle").put("entitySet", "accounts")
                .put("method", "PATCH").put("retryAfterSeconds", 2).put("count", 1));
        Payload p = toDataverse(foCustomer(account()));

        WriteResult throttled = await(dataverse.upsert("accounts", key(p), p, null, null));
        WriteResult next = await(dataverse.upsert("accounts", key(p), p, null, null));

        assertThat(throttled.outcome()).isEqualTo(Outcome.THROTTLED);
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(next.outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void serviceUnavailable_isRetryable() {
        emulated.fault(emulated.dataverseUrl(), new JsonObject().put("type", "error").put("entitySet", "accounts")
                .put("status", 503).put("count", 1));
        Payload p = toDataverse(foCustomer(account()));

        WriteResult r = await(dataverse.upsert("accounts", key(p), p, null, null));

        assertThat(r.outcome()).isEqualTo(Outcome.RETRYABLE);
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.message()).contains("(0x80040216)");
    }

    @Test
    void anAnswerThatNeverComes_isRetryableAfterTheTimeout() {
        try (DataverseConnector impatient = connector(tokens,
                DataverseSettings.of(emulated.dataverseUrl()).withRequestTimeout(Duration.ofMillis(500)))) {
            Payload p = toDataverse(foCustomer(account()));
            await(impatient.upsert("accounts", key(p), p, null, null)); // company and lookups resolved and cached
            emulated.fault(emulated.dataverseUrl(), new JsonObject().put("type", "hang").put("entitySet", "accounts"));

            WriteResult r = await(impatient.upsert("accounts", key(p), p, null, null));

            assertThat(r.outcome()).isEqualTo(Outcome.RETRYABLE);
            assertThat(r.status()).isZero();
        }
    }

    @Test
    void noServerListening_isRetryable() {
        TokenProvider fixed = new TokenProvider() {
            @Override
            public Future<String> token() {
                return Future.succeededFuture("irrelevant");
            }

            @Override
            public void invalidate() {
            }
        };
        try (DataverseConnector nowhere = new DataverseConnector(emulated.vertx, DataverseSettings.of("http://127.0.0.1:1"),
                fixed, SCHEMAS, List.of())) {
            WriteResult r = await(nowhere.delete("accounts", Map.of("accountid", "66b93aff-76d8-3362-8734-a288f78cf290"), null));

            assertThat(r.outcome()).isEqualTo(Outcome.RETRYABLE);
            assertThat(r.status()).isZero();
        }
    }

    @Test
    void read_followsLookups_soTheMapGivesTheFoCustomerBack() {
        Map<String, Object> fo = foCustomer(account());
        Payload p = toDataverse(fo);
        WriteResult w = await(dataverse.upsert("accounts", key(p), p, null, null));

        ReadResult read = await(dataverse.read("accounts", key(p)));

        assertThat(read.etag()).isEqualTo(w.etag());
        assertThat(read.version()).isPositive();
        assertThat(read.values()).containsEntry("accountid", w.recordId())
                .containsEntry("msdyn_company", Map.of("cdm_companycode", "USMF"))
                .containsEntry("transactioncurrencyid", Map.of("isocurrencycode", "EUR"))
                .containsEntry("msdyn_customergroupid", Map.of("msdyn_groupid", "10"))
                .containsEntry("msdyn_vendor", null);
        Payload back = CUSTOMERS.evaluate(Direction.DATAVERSE_TO_FO, read.values());
        assertThat(back.accepted()).isTrue();
        assertThat(back.get("dataAreaId")).isEqualTo("USMF");
        assertThat(back.get("CustomerAccount")).isEqualTo(fo.get("CustomerAccount"));
        assertThat(back.get("CustomerGroupId")).isEqualTo("10");
        assertThat(back.get("SalesCurrencyCode")).isEqualTo("EUR");
        assertThat(back.get("OrganizationName")).isEqualTo(fo.get("OrganizationName"));
        assertThat(back.get("OnHoldStatus")).isEqualTo("Invoice");
    }

    @Test
    void read_byPrimaryId_andOfAMissingRecord() {
        Payload p = toDataverse(foCustomer(account()));
        WriteResult w = await(dataverse.upsert("accounts", key(p), p, null, null));

        assertThat(await(dataverse.read("accounts", Map.of("accountid", w.recordId()))).values())
                .containsEntry("accountnumber", p.get("accountnumber"));
        assertThat(await(dataverse.read("accounts", Map.of("msdyn_company.cdm_companycode", "USMF", "accountnumber", "NO-SUCH"))))
                .isNull();
        assertThat(await(dataverse.read("accounts", Map.of("msdyn_company.cdm_companycode", "NOPE", "accountnumber", "X"))))
                .isNull();
    }

    @Test
    void aReadThatFails_saysHow() {
        emulated.fault(emulated.dataverseUrl(), new JsonObject().put("type", "throttle").put("entitySet", "accounts")
                .put("method", "GET").put("retryAfterSeconds", 3).put("count", 1));

        assertThatThrownBy(() -> await(dataverse.read("accounts", Map.of("accountid", "66b93aff-76d8-3362-8734-a288f78cf290"))))
                .isInstanceOfSatisfying(TargetReadException.class, e -> {
                    assertThat(e.result().outcome()).isEqualTo(Outcome.THROTTLED);
                    assertThat(e.result().retryAfter()).isEqualTo(Duration.ofSeconds(3));
                });
    }

    @Test
    void delete_removesTheRecord_andDeletingAgainIsFine() {
        Payload p = toDataverse(foCustomer(account()));
        WriteResult w = await(dataverse.upsert("accounts", key(p), p, null, null));

        WriteResult deleted = await(dataverse.delete("accounts", key(p), "dualsync:test"));
        WriteResult again = await(dataverse.delete("accounts", key(p), null));

        assertThat(deleted.outcome()).isEqualTo(Outcome.OK);
        assertThat(again.outcome()).isEqualTo(Outcome.OK);
        assertThat(await(dataverse.read("accounts", Map.of("accountid", w.recordId())))).isNull();
    }

    @Test
    void theToken_isAcquiredOnce_andReusedForEveryRequest() {
        String dv = emulated.dataverseUrl();
        try (MsalTokenProvider own = new MsalTokenProvider(emulated.vertx, Emulated.identity(dv));
             DataverseConnector c = connector(own, DataverseSettings.of(dv))) {
            emulated.resetCounters(dv);
            for (int i = 0; i < 5; i++) {
                Payload p = toDataverse(foCustomer(account()));
                assertThat(await(c.upsert("accounts", key(p), p, null, null)).outcome()).isEqualTo(Outcome.OK);
            }

            assertThat(own.acquisitions()).isEqualTo(1);
            assertThat(emulated.responses(dv, "POST", 200)).as("token requests").isEqualTo(1);
            assertThat(emulated.responses(dv, "PATCH", 201)).isEqualTo(5);
        }
    }

    @Test
    void aRejectedToken_isRefreshedOnce_andTheWriteGoesThrough() {
        String dv = emulated.dataverseUrl();
        try (MsalTokenProvider real = new MsalTokenProvider(emulated.vertx, Emulated.identity(dv))) {
            AtomicInteger invalidations = new AtomicInteger();
            TokenProvider expiredFirst = new TokenProvider() {
                @Override
                public Future<String> token() {
                    // what a token revoked or expired early looks like to the target: it is refused
                    return invalidations.get() == 0 ? Future.succeededFuture("eyJhbGciOiJSUzI1NiJ9.e30.c2ln") : real.token();
                }

                @Override
                public void invalidate() {
                    invalidations.incrementAndGet();
                    real.invalidate();
                }
            };
            try (DataverseConnector c = connector(expiredFirst, DataverseSettings.of(dv))) {
                emulated.resetCounters(dv);

                WriteResult r = await(c.delete("accounts", Map.of("accountid", "00000000-0000-0000-0000-00000000abcd"), null));

                assertThat(r.outcome()).isEqualTo(Outcome.OK);
                assertThat(invalidations).hasValue(1);
                assertThat(emulated.responses(dv, "DELETE", 401)).isEqualTo(1);
                assertThat(emulated.responses(dv, "DELETE", 404)).isEqualTo(1);
            }
        }
    }

    @Test
    void aTokenThatStaysRejected_isUnauthorized_afterOneRefresh() {
        String dv = emulated.dataverseUrl();
        // A token for F&O is valid, but not for Dataverse: the refresh gets another one just as wrong.
        try (MsalTokenProvider wrongAudience = new MsalTokenProvider(emulated.vertx, Emulated.identity(emulated.foUrl()));
             DataverseConnector c = connector(wrongAudience, DataverseSettings.of(dv))) {
            emulated.resetCounters(dv);

            WriteResult r = await(c.delete("accounts", Map.of("accountid", "00000000-0000-0000-0000-00000000abcd"), null));

            assertThat(r.outcome()).isEqualTo(Outcome.UNAUTHORIZED);
            assertThat(r.status()).isEqualTo(401);
            assertThat(emulated.responses(dv, "DELETE", 401)).isEqualTo(2);
            assertThat(wrongAudience.acquisitions()).isEqualTo(2);
        }
    }
}
