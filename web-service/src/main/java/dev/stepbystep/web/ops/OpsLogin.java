package dev.stepbystep.web.ops;

import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.web.accounts.AccountRequests.TokenPair;
import dev.stepbystep.web.auth.AuthCookies;
import dev.stepbystep.web.auth.AuthService;
import dev.stepbystep.web.auth.ClientAddress;
import dev.stepbystep.web.auth.TokenAuthMechanism;
import dev.stepbystep.web.errors.ApiException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/**
 * The console's login form: the same accounts, password checks, rate limits and cookies as the
 * API's cookie login ({@code /api/auth/jwt/token/}); a form instead of JSON, and a redirect back to
 * the page that asked. Logging out revokes both tokens.
 */
@Path("/ops")
public class OpsLogin {

    @Inject
    AuthService auth;

    @Inject
    AuthCookies cookies;

    @Inject
    ClientAddress clientAddress;

    @Inject
    @Location("ops/login")
    Template loginPage;

    @GET
    @Path("/login")
    @Produces(MediaType.TEXT_HTML)
    public Response form(@QueryParam("next") String next) {
        return page(200, OpsAccess.safeNext(next), null, null);
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response login(@FormParam("email") String email, @FormParam("password") String password, @FormParam("next") String next,
                          @Context HttpServerRequest request) {
        String to = OpsAccess.safeNext(next);
        if (email == null || email.isBlank() || email.length() > 254 || password == null || password.isEmpty() || password.length() > 128) {
            return page(400, to, email == null || email.length() > 254 ? null : email, "Enter your email and password.");
        }
        User user;
        try {
            user = auth.login(email.strip(), password, clientAddress.of(request));
        } catch (ApiException e) {
            return page(e.status(), to, email, e.status() == 429 ? "Too many attempts: " + e.getMessage() : "Email or password is wrong, or the account is not active.");
        }
        TokenPair tokens = auth.issue(user);
        return OpsAccess.secure(Response.seeOther(URI.create(to))).cookie(cookies.access(tokens.access()), cookies.refresh(tokens.refresh())).build();
    }

    @POST
    @Path("/logout")
    public Response logout(@CookieParam(TokenAuthMechanism.REFRESH_COOKIE) String refreshToken,
                           @CookieParam(TokenAuthMechanism.ACCESS_COOKIE) String accessToken) {
        if (refreshToken != null && !refreshToken.isEmpty()) {
            auth.revoke(refreshToken, "refresh");
        }
        if (accessToken != null && !accessToken.isEmpty()) {
            auth.revoke(accessToken, "access");
        }
        return OpsAccess.secure(Response.seeOther(URI.create("/ops/login")))
                .cookie(cookies.clear(TokenAuthMechanism.ACCESS_COOKIE), cookies.clear(TokenAuthMechanism.REFRESH_COOKIE)).build();
    }

    private Response page(int status, String next, String email, String problem) {
        return OpsAccess.secure(Response.status(status).entity(loginPage.data("next", next).data("email", email).data("problem", problem).render())
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))).build();
    }
}
