package dev.realtime.service.http;

import io.vertx.core.http.HttpHeaders;
import java.util.Locale;

/** Content negotiation for the routes served outside JAX-RS, answering as JAX-RS did for the resources. */
public final class MediaTypes {
    /** The {@code Content-Type} value of the routes' JSON answers, pre-encoded for Vert.x headers. */
    public static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");

    private MediaTypes() {}

    /** Whether an {@code Accept} header (absent means anything) admits application/json with a non-zero q. */
    public static boolean acceptsJson(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String range : accept.split(",")) {
            String[] parts = range.split(";");
            String type = parts[0].trim().toLowerCase(Locale.ROOT);
            if (!type.equals("application/json") && !type.equals("application/*") && !type.equals("*/*")) {
                continue;
            }
            boolean refused = false;
            for (int i = 1; i < parts.length; i++) {
                String parameter = parts[i].trim().toLowerCase(Locale.ROOT);
                if (parameter.startsWith("q=")) {
                    refused = parameter.substring(2).trim().matches("0(\\.0{0,3})?");
                }
            }
            if (!refused) {
                return true;
            }
        }
        return false;
    }

    /** Whether a {@code Content-Type} is application/json, with or without parameters. */
    public static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int semicolon = contentType.indexOf(';');
        String type = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
        return type.toLowerCase(Locale.ROOT).equals("application/json");
    }
}
