package io.dualsync.emulator.control;

import io.dualsync.emulator.ChangeEvent;
import io.dualsync.emulator.EmulatorContext.Kind;
import io.dualsync.emulator.store.Row;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The control API's rows, counters and health endpoints; direct writes never publish change events. */
class ControlApiIT {
    private static final String COMPANY = "5b4cbc8f-7d5b-4d0e-9c3d-1b0a2f6e8a01";
    private final List<ChangeEvent> events = new CopyOnWriteArrayList<>();
    private Harness h;
    private ControlApi api;

    private void start(Kind kind, String... tables) throws Exception {
        h = Harness.start(kind, o -> { }, x -> {
            Faults faults = new Faults(x.ctx);
            api = new ControlApi(x.ctx, faults);
            return List.of(faults, api);
        });
        for (String t : tables) {
            h.table(t);
        }
        h.ctx.addListener(events::add);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
        assertThat(events).as("direct writes publish no change events").isEmpty();
    }

    @Test
    void dataverseRows_getTheirIdAndSystemColumns() throws Exception {
        start(Kind.DATAVERSE, "accounts");

        HttpResponse<String> created = h.send("POST", "/_emulator/rows/accounts",
                "{\"name\":\"Contoso\",\"accountnumber\":\"US-001\",\"_msdyn_company_value\":\"" + COMPANY + "\","
                        + "\"creditlimit\":1500.50,\"numberofemployees\":12,\"customertypecode\":3}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonObject row = Harness.json(created);
        String id = row.getString("accountid");
        assertThat(id).matches("[0-9a-f-]{36}");
        assertThat(row.getString("createdon")).endsWith("Z");
        assertThat(row.getString("modifiedon")).isEqualTo(row.getString("createdon"));
        assertThat(row.getString("msdyn_company")).isEqualTo(COMPANY);

        Row stored = h.onLoop(() -> h.ctx.store().table("accounts").get(id));
        assertThat(stored.get("versionnumber")).isEqualTo(stored.version());
        assertThat(stored.get("creditlimit")).isEqualTo(new BigDecimal("1500.50"));
        assertThat(stored.get("numberofemployees")).isEqualTo(12L);
        assertThat(stored.get("customertypecode")).isEqualTo(3L);

        JsonArray all = new JsonArray(h.get("/_emulator/rows/accounts").body());
        assertThat(all).hasSize(1);
        assertThat(all.getJsonObject(0).getString("name")).isEqualTo("Contoso");
        assertThat(Harness.json(h.get("/_emulator/rows/accounts/" + id)).getString("accountnumber")).isEqualTo("US-001");
    }

    @Test
    void dataverseRows_putReplaces_patchMerges_deleteRemoves() throws Exception {
        start(Kind.DATAVERSE, "accounts");
        String id = "0f8fad5b-d9cb-469f-a165-70867728950e";
        assertThat(h.send("POST", "/_emulator/rows/accounts", "{\"accountid\":\"" + id.toUpperCase() + "\",\"name\":\"A\",\"telephone1\":\"1\"}")
                .statusCode()).isEqualTo(201);
        long before = h.onLoop(() -> h.ctx.store().table("accounts").get(id).version());

        HttpResponse<String> put = h.send("PUT", "/_emulator/rows/accounts/" + id, "{\"name\":\"B\"}");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(Harness.json(put).getString("telephone1")).as("PUT replaces the row").isNull();
        assertThat(Harness.json(put).getLong("versionnumber")).isGreaterThan(before);

        HttpResponse<String> patch = h.send("PATCH", "/_emulator/rows/accounts/" + id, "{\"telephone1\":\"2\",\"modifiedon\":\"2024-01-02T03:04:05+01:00\"}");
        assertThat(Harness.json(patch).getString("name")).as("PATCH merges").isEqualTo("B");
        assertThat(Harness.json(patch).getString("modifiedon")).isEqualTo("2024-01-02T02:04:05Z");

        assertThat(h.send("DELETE", "/_emulator/rows/accounts/" + id, null).statusCode()).isEqualTo(204);
        assertThat(h.get("/_emulator/rows/accounts/" + id).statusCode()).isEqualTo(404);
        assertThat(h.send("DELETE", "/_emulator/rows/accounts/" + id, null).statusCode()).isEqualTo(404);
    }

    @Test
    void postingAnArray_isAllOrNothing() throws Exception {
        start(Kind.DATAVERSE, "accounts");

        HttpResponse<String> r = h.send("POST", "/_emulator/rows/accounts",
                "[{\"name\":\"A\",\"accountnumber\":\"1\",\"msdyn_company\":\"" + COMPANY + "\"},"
                        + "{\"name\":\"B\",\"accountnumber\":\"1\",\"msdyn_company\":\"" + COMPANY + "\"}]");

        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(new JsonArray(h.get("/_emulator/rows/accounts").body())).isEmpty();

        HttpResponse<String> ok = h.send("POST", "/_emulator/rows/accounts", "[{\"name\":\"A\"},{\"name\":\"B\"}]");
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(new JsonArray(ok.body())).hasSize(2);
    }

    @Test
    void badRows_areRefusedWithAReason() throws Exception {
        start(Kind.DATAVERSE, "accounts");

        HttpResponse<String> badNumber = h.send("POST", "/_emulator/rows/accounts", "{\"name\":\"A\",\"numberofemployees\":\"many\"}");
        assertThat(badNumber.statusCode()).isEqualTo(400);
        assertThat(Harness.json(badNumber).getJsonObject("error").getString("message")).contains("accounts.numberofemployees");

        assertThat(h.send("POST", "/_emulator/rows/accounts", "{\"msdyn_company\":\"not-a-guid\"}").statusCode()).isEqualTo(400);
        assertThat(h.send("POST", "/_emulator/rows/nosuchtable", "{}").statusCode()).isEqualTo(404);
        assertThat(h.send("POST", "/_emulator/rows/accounts", "{").statusCode()).isEqualTo(400);
    }

    @Test
    void foRows_areStoredUnderTheirEntityKey() throws Exception {
        start(Kind.FO, "CustomersV3");

        HttpResponse<String> created = h.send("POST", "/_emulator/rows/CustomersV3",
                "{\"CustomerAccount\":\"US-001\",\"CustomerGroupId\":\"10\",\"SalesCurrencyCode\":\"USD\",\"CreditLimit\":100,"
                        + "\"OnHoldStatus\":\"no\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Harness.json(created).getString("dataAreaId")).as("the default company").isEqualTo("usmf");
        assertThat(Harness.json(created).getString("OnHoldStatus")).isEqualTo("No");

        Row stored = h.onLoop(() -> h.ctx.store().table("CustomersV3")
                .findByKey(List.of("dataAreaId", "CustomerAccount"), Map.of("dataAreaId", "USMF", "CustomerAccount", "us-001")));
        assertThat(stored).isNotNull();
        assertThat(stored.get("CreditLimit")).isEqualTo(new BigDecimal("100"));

        String key = "/_emulator/rows/CustomersV3/" + URLEncoder.encode("dataAreaId='usmf',CustomerAccount='US-001'", StandardCharsets.UTF_8);
        assertThat(Harness.json(h.get(key)).getString("CustomerGroupId")).isEqualTo("10");
        assertThat(h.send("POST", "/_emulator/rows/CustomersV3",
                "{\"dataAreaId\":\"USMF\",\"CustomerAccount\":\"us-001\",\"CustomerGroupId\":\"20\"}").statusCode()).isEqualTo(409);

        HttpResponse<String> patched = h.send("PATCH", key, "{\"CustomerGroupId\":\"30\"}");
        assertThat(patched.statusCode()).isEqualTo(200);
        assertThat(Harness.json(patched).getString("SalesCurrencyCode")).isEqualTo("USD");

        assertThat(h.send("DELETE", key, null).statusCode()).isEqualTo(204);
        assertThat(new JsonArray(h.get("/_emulator/rows/CustomersV3").body())).isEmpty();
    }

    @Test
    void counters_includeTheSourcesAddedByOtherModules() throws Exception {
        start(Kind.DATAVERSE);
        api.addCounterSource("webhookDeliveries", () -> Map.of("delivered", 3, "failed", 1));

        JsonObject counters = Harness.json(h.get("/_emulator/counters"));

        assertThat(counters.getJsonObject("requests").getLong("total")).isZero();
        assertThat(counters.getJsonObject("webhookDeliveries").getInteger("delivered")).isEqualTo(3);
    }

    @Test
    void health_saysWhichServiceItIs() throws Exception {
        start(Kind.FO, "CustomersV3", "LegalEntities");

        JsonObject health = Harness.json(h.get("/_emulator/health"));

        assertThat(health.getString("status")).isEqualTo("Healthy");
        assertThat(health.getString("service")).isEqualTo("fo");
        assertThat(health.getInteger("tables")).isEqualTo(2);
    }
}
