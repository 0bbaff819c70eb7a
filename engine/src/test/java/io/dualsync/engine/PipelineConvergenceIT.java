package io.dualsync.engine;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole engine in-process between both emulators: changes that must leave both sides equal, however
 * they start (a delete in Dataverse, which names the record by its id only; a rename on both sides at once).
 */
class PipelineConvergenceIT {
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
    void accountDeletedOnDataverse_deletesTheCustomerInFo_whicheverSideCreatedIt() {
        HttpResponse<String> r = bed.call(bed.dataverseUrl(), "POST", "/api/data/v9.2/accounts",
                bed.newAccount("DS-200", "Made In Dataverse", bed.guidOf("msdyn_customergroups", "msdyn_groupid", "10")));
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 204);
        HttpResponse<String> c = bed.createFoCustomer("DS-201", "Made In FO");
        assertThat(c.statusCode()).as(c.body()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(bed.foCustomer("DS-200")).as("DS-200 synced to F&O").isNotNull();
            assertThat(bed.account("DS-201")).as("DS-201 synced to Dataverse").isNotNull();
        });

        for (String number : new String[] {"DS-200", "DS-201"}) {
            HttpResponse<String> d = bed.call(bed.dataverseUrl(), "DELETE", "/api/data/v9.2/accounts(" + bed.accountId(number) + ")", null);
            assertThat(d.statusCode()).as(d.body()).isBetween(200, 204);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(bed.foCustomer("DS-200")).as("DS-200 in F&O").isNull();
            assertThat(bed.foCustomer("DS-201")).as("DS-201 in F&O").isNull();
        });
    }

    @Test
    void renamedOnBothSidesAtOnce_endsEqualOnBothSides() {
        HttpResponse<String> c = bed.createFoCustomer("DS-300", "Before Both");
        assertThat(c.statusCode()).as(c.body()).isBetween(200, 204);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(bed.account("DS-300")).isNotNull());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(bed.account("DS-300").getString("name")).isEqualTo("Before Both"));

        for (int round = 1; round <= 3; round++) {
            String foName = "Renamed In FO " + round;
            String dvName = "Renamed In Dataverse " + round;
            CompletableFuture<HttpResponse<String>> onFo = CompletableFuture.supplyAsync(() ->
                    bed.updateFoCustomer("DS-300", new JsonObject().put("OrganizationName", foName)));
            HttpResponse<String> onDv = bed.updateAccount("DS-300", new JsonObject().put("name", dvName));
            assertThat(onDv.statusCode()).as(onDv.body()).isBetween(200, 204);
            assertThat(onFo.join().statusCode()).isBetween(200, 204);

            await().atMost(Duration.ofSeconds(30)).during(Duration.ofSeconds(2)).untilAsserted(() -> {
                String inFo = bed.foCustomer("DS-300").getString("OrganizationName");
                String inDv = bed.account("DS-300").getString("name");
                assertThat(inDv).as("Dataverse's name equals F&O's").isEqualTo(inFo);
                assertThat(inFo).isIn(foName, dvName);
            });
        }
        assertThat(bed.deadLetters().stream().map(o -> (JsonObject) o)
                .filter(l -> String.valueOf(l.getString("key")).contains("ds-300")))
                .as("dead letters of DS-300").isEmpty();
    }
}
