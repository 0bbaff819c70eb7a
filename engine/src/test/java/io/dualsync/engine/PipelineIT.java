package io.dualsync.engine;

import io.dualsync.mapping.Side;
import io.dualsync.metrics.Metrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole engine in-process between both emulators (auth on, demo seed), webhooks over real HTTP. */
class PipelineIT {
    @TempDir
    static Path dir;
    private static TestBed bed;

    @BeforeAll
    static void start() {
        bed = TestBed.start(dir);
    }

    @AfterAll
    static void stop() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void a_accountCreatedOnDataverse_appearsAsCustomerInFo() {
        String group = bed.guidOf("msdyn_customergroups", "msdyn_groupid", "10");
        HttpResponse<String> r = bed.call(bed.dataverseUrl(), "POST", "/api/data/v9.2/accounts",
                bed.newAccount("DS-100", "Dualsync Alpha", group));
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonObject c = bed.foCustomer("DS-100");
            assertThat(c).as("customer DS-100 in F&O").isNotNull();
            assertThat(c.getString("OrganizationName")).isEqualTo("Dualsync Alpha");
            assertThat(c.getString("dataAreaId")).isEqualToIgnoringCase("usmf");
            assertThat(c.getString("CustomerGroupId")).isEqualTo("10");
            assertThat(c.getString("SalesCurrencyCode")).isEqualTo("EUR");
        });
    }

    @Test
    void b_c_customerUpdatedOnFo_changesAccount_withOneWriteAndNoEcho() {
        bed.token(bed.foUrl());
        double echoesBefore = bed.count(Side.FO, Metrics.ApplyResult.ECHO);
        bed.emulated.resetCounters(bed.foUrl());
        bed.emulated.resetCounters(bed.dataverseUrl());
        HttpResponse<String> r = bed.updateFoCustomer("US-003", new JsonObject().put("OrganizationName", "Forest Wholesales Renamed"));
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(bed.account("US-003").getString("name")).isEqualTo("Forest Wholesales Renamed"));
        // the Dataverse webhook of our write comes back and must be dropped as an echo
        await().atMost(Duration.ofSeconds(30)).until(() -> bed.count(Side.FO, Metrics.ApplyResult.ECHO) > echoesBefore);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(bed.writes(bed.dataverseUrl())).as("writes to Dataverse").isEqualTo(1);
            assertThat(bed.writes(bed.foUrl())).as("writes to F&O (ours + none back)").isEqualTo(1);
        });
    }

    @Test
    void e_missingCustomerGroup_isDeadLettered_othersApply() {
        HttpResponse<String> r = bed.call(bed.foUrl(), "POST", "/data/CustomersV3",
                new JsonObject().put("dataAreaId", "usmf").put("CustomerAccount", "DS-BAD").put("PartyType", "Organization")
                        .put("OrganizationName", "Bad Group").put("CustomerGroupId", "NOPE").put("SalesCurrencyCode", "USD"));
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
        HttpResponse<String> ok = bed.createFoCustomer("DS-GOOD", "Good Group");
        assertThat(ok.statusCode()).as(ok.body()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(bed.account("DS-GOOD")).isNotNull());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(bed.deadLetters().stream().map(o -> (JsonObject) o)
                        .filter(l -> l.getJsonObject("event").getString("recordId").contains("DS-BAD")))
                        .singleElement().satisfies(l -> assertThat(l.getString("error")).isNotBlank()));
        assertThat(bed.account("DS-BAD")).isNull();

        // once the group exists in Dataverse, a person retries the dead letter through the admin API
        String company = bed.guidOf("cdm_companies", "cdm_companycode", "USMF");
        bed.emulated.control(bed.dataverseUrl(), "POST", "rows/msdyn_customergroups", new JsonObject()
                .put("msdyn_customergroupid", UUID.randomUUID().toString()).put("msdyn_company", company)
                .put("msdyn_groupid", "NOPE").put("msdyn_description", "made for the retry").put("statecode", 0L));
        JsonObject letter = bed.deadLetters().stream().map(o -> (JsonObject) o)
                .filter(l -> l.getJsonObject("event").getString("recordId").contains("DS-BAD")).findFirst().orElseThrow();
        HttpResponse<String> retry = bed.admin("POST", "/admin/dead-letters/" + TestBed.pathSegment(letter.getString("id")) + "/retry", null);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(bed.account("DS-BAD")).isNotNull());
        assertThat(bed.deadLetters().stream().map(o -> (JsonObject) o)
                .noneMatch(l -> l.getJsonObject("event").getString("recordId").contains("DS-BAD"))).isTrue();
    }

    @Test
    void d_sameWebhookTwice_isAppliedOnce() {
        JsonObject c = bed.foCustomer("US-002");
        HttpResponse<String> r = bed.updateFoCustomer("US-002", new JsonObject().put("OrganizationName", "LA Twice"));
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(bed.account("US-002").getString("name")).isEqualTo("LA Twice"));
        JsonArray deliveries = bed.emulated.control(bed.foUrl(), "GET", "events/deliveries", null).getJsonArray("value");
        String last = ((JsonObject) deliveries.getValue(deliveries.size() - 1)).getValue("id").toString();
        bed.emulated.resetCounters(bed.dataverseUrl());
        double duplicatesBefore = bed.count(Side.DATAVERSE, Metrics.ApplyResult.DUPLICATE);
        bed.emulated.control(bed.foUrl(), "POST", "events/deliveries/" + last + "/resend", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> bed.count(Side.DATAVERSE, Metrics.ApplyResult.DUPLICATE) > duplicatesBefore);
        assertThat(bed.writes(bed.dataverseUrl())).isZero();
        assertThat(c).isNotNull();
    }

    @Test
    void f_customerDeletedOnFo_deletesTheAccount() {
        assertThat(bed.account("US-001")).isNotNull();
        HttpResponse<String> r = bed.call(bed.foUrl(), "DELETE",
                "/data/CustomersV3(dataAreaId='usmf',CustomerAccount='US-001')", null);
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(bed.account("US-001")).isNull());
    }
}
