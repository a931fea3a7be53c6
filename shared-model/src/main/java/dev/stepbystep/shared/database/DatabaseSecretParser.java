package dev.stepbystep.shared.database;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Optional;

/**
 * Reads a secret string in either of the two forms docs/operations.md describes: the bare password, or a
 * JSON object with {@code password} and optionally {@code username}, {@code host}, {@code port}
 * and {@code dbname} (other fields, such as RDS's {@code engine}, are ignored). Error messages
 * name the secret and the field at fault, never a value: a parse error's own message would quote
 * the text around the fault, so it is not chained.
 */
public final class DatabaseSecretParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DatabaseSecretParser() {
    }

    public static DatabaseCredentials parse(String secretName, String value) {
        if (value == null || value.isEmpty()) {
            throw new DatabaseSecretException("secret '" + secretName + "' is empty; store the database password, "
                    + "or JSON with a \"password\" field");
        }
        if (!value.stripLeading().startsWith("{")) {
            if (value.strip().isEmpty() || value.contains("\n")) {
                throw new DatabaseSecretException("secret '" + secretName + "' is neither a one-line password nor a JSON object");
            }
            return DatabaseCredentials.passwordOnly(value);
        }
        JsonNode root;
        try {
            root = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new DatabaseSecretException("secret '" + secretName + "' starts like JSON but is not valid JSON "
                    + "(line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (root == null || !root.isObject()) {
            throw new DatabaseSecretException("secret '" + secretName + "' is not a JSON object");
        }
        String password = text(secretName, root, "password")
                .orElseThrow(() -> new DatabaseSecretException("secret '" + secretName + "' has no \"password\" field"));
        Optional<Integer> port = Optional.empty();
        JsonNode portNode = root.get("port");
        if (portNode != null && !portNode.isNull()) {
            String raw = portNode.isNumber() || portNode.isTextual() ? portNode.asText() : "";
            if (!raw.matches("[0-9]{1,5}") || Integer.parseInt(raw) < 1 || Integer.parseInt(raw) > 65535) {
                throw new DatabaseSecretException("secret '" + secretName + "' has a \"port\" that is not a number from 1 to 65535");
            }
            port = Optional.of(Integer.parseInt(raw));
        }
        Optional<String> dbname = text(secretName, root, "dbname");
        if (dbname.isPresent() && !dbname.get().matches("[A-Za-z0-9_$-]{1,63}")) {
            throw new DatabaseSecretException("secret '" + secretName + "' has a \"dbname\" that is not a plain database name");
        }
        Optional<String> host = text(secretName, root, "host");
        if (host.isPresent() && !host.get().matches("[A-Za-z0-9.:\\[\\]_-]{1,253}")) {
            throw new DatabaseSecretException("secret '" + secretName + "' has a \"host\" that is not a host name or address");
        }
        return new DatabaseCredentials(text(secretName, root, "username"), password, host, port, dbname);
    }

    private static Optional<String> text(String secretName, JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw new DatabaseSecretException("secret '" + secretName + "' has a \"" + field + "\" that is not a non-empty string");
        }
        return Optional.of(node.asText());
    }
}
