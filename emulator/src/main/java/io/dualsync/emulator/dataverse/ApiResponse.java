package io.dualsync.emulator.dataverse;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/** What an operation answers: status, headers and body text; written to HTTP or into a batch part. */
final class ApiResponse {
    static final String JSON = "application/json; odata.metadata=minimal";

    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    String body;

    ApiResponse(int status) {
        this.status = status;
    }

    ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    static ApiResponse json(int status, ObjectNode body) {
        ApiResponse r = new ApiResponse(status);
        r.header("Content-Type", JSON);
        r.body = Json.write(body);
        return r;
    }

    /** The service's error body: {@code {"error":{"code":"...","message":"..."}}}. */
    static ApiResponse error(DataverseError e) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ObjectNode err = root.putObject("error");
        err.put("code", e.code());
        err.put("message", e.getMessage());
        return json(e.status(), root);
    }
}
