package dev.stepbystep.web.api;

import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.web.auth.AuthService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.http.ContentType;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Creates users for a test and deletes them (and, by cascade, their likes) afterwards. */
public final class TestUsers implements AutoCloseable {

    public static final String PASSWORD = "correct horse battery";
    private static final String HASH = AuthService.hash(PASSWORD);

    public record TestUser(long id, String email, String access, String refresh) {
    }

    private final List<String> emails = new ArrayList<>();

    public String uniqueEmail(String name) {
        String email = name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        emails.add(email);
        return email;
    }

    public TestUser user(String name) {
        return create(name, false);
    }

    public TestUser staff(String name) {
        return create(name, true);
    }

    private TestUser create(String name, boolean staff) {
        String email = uniqueEmail(name);
        long id = QuarkusTransaction.requiringNew().call(() -> {
            User u = new User();
            u.email = email;
            u.passwordHash = HASH;
            u.active = true;
            u.staff = staff;
            u.persist();
            return u.id;
        });
        var tokens = given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100." + (1 + (int) (Math.random() * 250)))
                .body("{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}")
                .post("/api/token/").then().statusCode(200).extract().jsonPath();
        return new TestUser(id, email, tokens.getString("access"), tokens.getString("refresh"));
    }

    @Override
    public void close() {
        QuarkusTransaction.requiringNew().run(() -> {
            for (String email : emails) {
                User.findByEmail(email).ifPresent(u -> {
                    dev.stepbystep.shared.posts.Post.delete("createdBy.id", u.id);
                    u.delete();
                });
            }
        });
    }
}
