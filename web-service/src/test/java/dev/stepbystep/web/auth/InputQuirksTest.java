package dev.stepbystep.web.auth;

import dev.stepbystep.web.api.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * Inputs a careless client or an attacker sends, and what they must get: a 4xx that names no
 * Java type, text that is stored as sent or refused, a 401 for a bad Bearer token (never a
 * silent anonymous, never a 500), lengths counted as people count characters, and the headers
 * that keep browsers and caches from doing the wrong thing.
 */
@QuarkusTest
class InputQuirksTest {

    @Inject
    JwtCodec jwt;

    private final TestUsers users = new TestUsers();

    @AfterEach
    void cleanUp() {
        users.close();
    }

    @Test
    void aBodyOfTheWrongShapeIsA400ThatNamesNoJavaType() {
        given().contentType(ContentType.JSON).body("[\"a\",\"b\"]").post("/api/register/").then().statusCode(400)
                .contentType("application/problem+json").body(not(containsString("dev.stepbystep"))).body(not(containsString("java.")));
        given().contentType(ContentType.JSON).body("\"just a string\"").post("/api/token/").then().statusCode(400)
                .body(not(containsString("dev.stepbystep")));
    }

    @Test
    void aLoneSurrogateIsRefusedNotStoredAsAQuestionMark() {
        TestUsers.TestUser author = users.user("surrogate");
        given().auth().oauth2(author.access()).contentType(ContentType.JSON).body("{\"body\":\"half \\ud83d of a smile\"}")
                .post("/api/posts/").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("body"));
    }

    @Test
    void postBodiesCountCharactersNotUtf16UnitsAndInvisibleTextIsBlank() {
        TestUsers.TestUser author = users.user("emoji");
        String smile = "\\ud83d\\ude00"; // one character, two UTF-16 units
        given().auth().oauth2(author.access()).contentType(ContentType.JSON).body("{\"body\":\"" + smile.repeat(200) + "\"}")
                .post("/api/posts/").then().statusCode(201);
        given().auth().oauth2(author.access()).contentType(ContentType.JSON).body("{\"body\":\"" + smile.repeat(201) + "\"}")
                .post("/api/posts/").then().statusCode(400);
        for (String blank : new String[] {"\\u00a0\\u00a0", "\\u200b", " \\u2060\\t", "\\u3000"}) {
            given().auth().oauth2(author.access()).contentType(ContentType.JSON).body("{\"body\":\"" + blank + "\"}")
                    .post("/api/posts/").then().statusCode(400).body("detail", containsString("blank"));
        }
    }

    @Test
    void anInvalidBearerTokenIsA401EvenWhereAnonymousIsAllowed() {
        given().auth().oauth2("not-a-token").get("/api/posts/").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", containsString("invalid_token"));
        // A login with a stale header still works: credential endpoints ignore the header.
        TestUsers.TestUser user = users.user("stale");
        given().auth().oauth2("stale-token").contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100.31")
                .body("{\"email\":\"" + user.email() + "\",\"password\":\"" + TestUsers.PASSWORD + "\"}")
                .post("/api/token/").then().statusCode(200);
        // Without a token, public reads stay public.
        given().get("/api/posts/").then().statusCode(200);
    }

    @Test
    void aCorrectlySignedTokenWithAnExpiryOutOfRangeIsA401NotA500() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", "1");
        claims.put("typ", "access");
        claims.put("staff", true);
        claims.put("jti", "x");
        claims.put("iat", 0);
        claims.put("exp", 999_999_999_999_999_999L);
        given().auth().oauth2(jwt.sign(claims)).get("/api/profile/").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void responsesAreNosniffAndTokenResponsesAreNotStored() {
        given().get("/api/posts/").then().statusCode(200).header("X-Content-Type-Options", equalTo("nosniff"));
        given().get("/api/nothing-here/").then().header("X-Content-Type-Options", equalTo("nosniff"));
        TestUsers.TestUser user = users.user("nostore");
        given().contentType(ContentType.JSON).header("X-Forwarded-For", "198.51.100.32")
                .body("{\"email\":\"" + user.email() + "\",\"password\":\"" + TestUsers.PASSWORD + "\"}")
                .post("/api/token/").then().statusCode(200).header("Cache-Control", equalTo("no-store"));
        given().contentType(ContentType.JSON).body("{\"refresh\":\"" + user.refresh() + "\"}").post("/api/token/refresh/")
                .then().statusCode(200).header("Cache-Control", equalTo("no-store"));
    }
}
