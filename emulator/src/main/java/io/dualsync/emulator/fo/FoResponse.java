package io.dualsync.emulator.fo;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the F&O service answers to one {@link FoRequest}: status, headers and body text. */
record FoResponse(int status, Map<String, String> headers, String body) {

    static final String JSON = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";

    static FoResponse json(int status, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", JSON);
        h.put("OData-Version", "4.0");
        return new FoResponse(status, h, body);
    }

    static FoResponse empty(int status) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("OData-Version", "4.0");
        return new FoResponse(status, h, "");
    }

    static FoResponse text(String contentType, String body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Content-Type", contentType);
        h.put("OData-Version", "4.0");
        return new FoResponse(200, h, body);
    }

    static FoResponse error(FoError e) {
        return json(e.status(), e.body());
    }

    FoResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    static String reason(int status) {
        switch (status) {
            case 200: return "OK";
            case 201: return "Created";
            case 204: return "No Content";
            case 400: return "Bad Request";
            case 404: return "Not Found";
            case 405: return "Method Not Allowed";
            case 412: return "Precondition Failed";
            case 500: return "Internal Server Error";
            default: return "Status " + status;
        }
    }
}
