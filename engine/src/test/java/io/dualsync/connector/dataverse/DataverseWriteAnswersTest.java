package io.dualsync.connector.dataverse;

import io.dualsync.connector.WriteResult;
import io.dualsync.connector.WriteResult.Outcome;
import io.dualsync.connector.http.ODataHttp.Answer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** How the answers to an upsert are sorted (the HTTP shapes are those of the Web API documentation). */
class DataverseWriteAnswersTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final String ID = "e4a49967-4707-4dc0-bdf7-725c2984ddbd";

    private static Answer answer(int status, String body, String... headers) {
        MultiMap h = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(headers[i], headers[i + 1]);
        }
        return new Answer(status, h, body == null ? null : Buffer.buffer(body));
    }

    private static String error(String code, String message) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
    }

    @Test
    void created_withRepresentation_givesIdAndEtag() {
        WriteResult r = DataverseConnector.written(answer(201, "{\"@odata.etag\":\"W/\\\"1025\\\"\",\"accountid\":\"" + ID
                + "\",\"versionnumber\":1025}"), "accountid", false, CLOCK);

        assertThat(r).isEqualTo(WriteResult.ok(201, ID, "W/\"1025\""));
    }

    @Test
    void updated_withoutBody_takesIdAndEtagFromHeaders() {
        WriteResult r = DataverseConnector.written(answer(204, null,
                "OData-EntityId", "https://org.crm.dynamics.com/api/data/v9.2/accounts(" + ID + ")", "ETag", "W/\"7\""),
                "accountid", false, CLOCK);

        assertThat(r).isEqualTo(WriteResult.ok(204, ID, "W/\"7\""));
    }

    @Test
    void notFound_withoutIfMatch_isAMissingLookupTarget() {
        WriteResult r = DataverseConnector.written(answer(404, error("0x80048d02",
                "A record with the specified key values does not exist in msdyn_customergroup entity")), "accountid", false, CLOCK);

        assertThat(r.outcome()).isEqualTo(Outcome.PERMANENT);
        assertThat(r.message()).isEqualTo("A record with the specified key values does not exist in msdyn_customergroup entity (0x80048d02)");
    }

    @Test
    void notFound_withIfMatch_isTheRecordGone() {
        WriteResult r = DataverseConnector.written(answer(404, error("0x80040217", "account With Id = x Does Not Exist")),
                "accountid", true, CLOCK);

        assertThat(r.outcome()).isEqualTo(Outcome.NOT_FOUND);
    }

    @Test
    void preconditionFailed_withIfMatch_isAConflict_withoutItARacingCreate() {
        Answer stale = answer(412, error("0x80060882", "The version of the existing record doesn't match the RowVersion property provided."));
        Answer duplicate = answer(412, error("0x80040237", "A record with matching key values already exists."));

        assertThat(DataverseConnector.written(stale, "accountid", true, CLOCK).outcome()).isEqualTo(Outcome.PRECONDITION_FAILED);
        assertThat(DataverseConnector.written(duplicate, "accountid", false, CLOCK).outcome()).isEqualTo(Outcome.RETRYABLE);
    }

    @Test
    void serviceProtection_isThrottled_forTheTimeDataverseAsks() {
        WriteResult r = DataverseConnector.written(answer(429, error("0x80072322",
                "Number of requests exceeded the limit of 6000 over time window of 300 seconds."), "Retry-After", "37"),
                "accountid", false, CLOCK);

        assertThat(r.outcome()).isEqualTo(Outcome.THROTTLED);
        assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(37));
        assertThat(r.message()).startsWith("Number of requests exceeded");
    }

    @Test
    void validation_isPermanent_andServerErrorsRetryable() {
        WriteResult invalid = DataverseConnector.written(answer(400, error("0x80048d19",
                "Error identified in Payload provided by the user for Entity :'accounts'")), "accountid", false, CLOCK);
        WriteResult down = DataverseConnector.written(answer(503, error("0x80040216", "An unexpected error occurred.")),
                "accountid", false, CLOCK);
        WriteResult refused = DataverseConnector.written(answer(401, ""), "accountid", false, CLOCK);

        assertThat(invalid.outcome()).isEqualTo(Outcome.PERMANENT);
        assertThat(invalid.message()).contains("0x80048d19");
        assertThat(down.outcome()).isEqualTo(Outcome.RETRYABLE);
        assertThat(refused.outcome()).isEqualTo(Outcome.UNAUTHORIZED);
    }
}
