package io.dualsync.connector.fo;

import io.dualsync.connector.WriteResult;
import io.dualsync.connector.WriteResult.Outcome;
import io.dualsync.connector.http.ODataHttp.Answer;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

class FoCreateAnswersTest {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final String KEY = "dataAreaId='usmf',CustomerAccount='US-900'";

    private static Answer answer(int status, String body) {
        return new Answer(status, MultiMap.caseInsensitiveMultiMap(), Buffer.buffer(body));
    }

    private static String error(String inner) {
        return "{\"error\":{\"code\":\"\",\"message\":\"An error has occurred.\",\"innererror\":{\"message\":\"" + inner
                + "\",\"type\":\"Microsoft.Dynamics.Platform.Integration.Services.OData.AxODataException\",\"stacktrace\":\"\"}}}";
    }

    @Test
    void created_givesTheKeyAndEtag() {
        WriteResult r = FoConnector.created(answer(201, "{\"@odata.etag\":\"W/\\\"JzEsNTYzNzE0NDU3Nyc=\\\"\",\"dataAreaId\":\"usmf\"}"),
                KEY, CLOCK);

        assertThat(r).isEqualTo(WriteResult.ok(201, KEY, "W/\"JzEsNTYzNzE0NDU3Nyc=\""));
    }

    @Test
    void alreadyExists_isARaceThatTheNextAttemptWins() {
        WriteResult r = FoConnector.created(answer(400, error("The record already exists.")), KEY, CLOCK);

        assertThat(r.outcome()).isEqualTo(Outcome.RETRYABLE);
    }

    @Test
    void otherRefusals_arePermanent_withTheInnerMessage() {
        WriteResult r = FoConnector.created(answer(400, error("Field 'Customer group' must be filled in.")), KEY, CLOCK);

        assertThat(r.outcome()).isEqualTo(Outcome.PERMANENT);
        assertThat(r.message()).isEqualTo("Field 'Customer group' must be filled in.");
    }
}
