package dev.stepbystep.web.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stepbystep.web.errors.ApiException;

import java.io.IOException;

/**
 * The optional body of an activation: none (the seed's verify page), {@code {}}, or
 * {@code {"password": "..."}}. Anything else is a 400.
 */
final class ActivationBody {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ActivationBody() {
    }

    /** The password the body carries, or null when it carries none. */
    static String password(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw ApiException.badRequest("body: an activation takes no body or a JSON object {\"password\": \"...\"}");
        }
        if (node == null || !node.isObject()) {
            throw ApiException.badRequest("body: an activation takes no body or a JSON object {\"password\": \"...\"}");
        }
        JsonNode password = node.get("password");
        if (password == null || password.isNull()) {
            return null;
        }
        if (!password.isTextual() || password.textValue().length() > 128 || password.textValue().indexOf('\0') >= 0) {
            throw ApiException.badRequest("password: must be a string of at most 128 characters");
        }
        return password.textValue();
    }
}
