package io.dualsync.journal;

import io.dualsync.mapping.Side;
import io.dualsync.model.ChangeEvent;
import io.dualsync.model.Operation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Change events that differ in every field by their number, so a mixed-up or torn one shows. */
final class TestEvents {
    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private TestEvents() {
    }

    static ChangeEvent event(int n) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("accountid", "00000000-0000-0000-0000-" + String.format("%012d", Math.abs(n)));
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("n", (long) n);
        values.put("name", "Customer " + n);
        values.put("creditlimit", BigDecimal.valueOf(n, 2));
        return new ChangeEvent("e-" + n, Side.DATAVERSE, "accounts", Operation.UPDATE, (String) key.get("accountid"), key,
                values, n, T0.plusSeconds(n), "user-1", null, "corr-" + n, T0.plusSeconds(n).plusMillis(5));
    }
}
