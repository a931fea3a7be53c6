package dev.stepbystep.web.auth;

import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.web.accounts.AccountRequests.AccessToken;
import dev.stepbystep.web.accounts.AccountRequests.Credentials;
import dev.stepbystep.web.accounts.AccountRequests.Refresh;
import dev.stepbystep.web.accounts.AccountRequests.TokenPair;
import dev.stepbystep.web.errors.ApiException;
import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/**
 * Token endpoints: JSON tokens for scripts ({@code /api/token/}), HttpOnly cookies for browsers
 * ({@code /api/auth/jwt/token/…}, answering {@code {}} as the seed did).
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class AuthResource {

    @Inject
    AuthService auth;

    @Inject
    AuthCookies cookies;

    @Inject
    CsrfGuard csrf;

    @Inject
    ClientAddress clientAddress;

    @POST
    @Path("/token/")
    @Consumes(MediaType.APPLICATION_JSON)
    public TokenPair token(@Valid @NotNull Credentials credentials, @Context HttpServerRequest request) {
        return auth.issue(auth.login(credentials.email(), credentials.password(), clientAddress.of(request)));
    }

    @POST
    @Path("/token/refresh/")
    @Consumes(MediaType.APPLICATION_JSON)
    public AccessToken refresh(@Valid @NotNull Refresh body) {
        return auth.refreshAccess(body.refresh()).map(AccessToken::new)
                .orElseThrow(() -> ApiException.unauthorized("refresh token is invalid, expired or revoked"));
    }

    @POST
    @Path("/auth/jwt/token/")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response cookieLogin(@Valid @NotNull Credentials credentials, @Context HttpServerRequest request,
                                @HeaderParam("Origin") String origin, @HeaderParam("Referer") String referer) {
        if (origin != null || referer != null) {
            csrf.check(origin, referer); // login CSRF: another site must not log a browser into an account
        }
        User user = auth.login(credentials.email(), credentials.password(), clientAddress.of(request));
        TokenPair tokens = auth.issue(user);
        return Response.ok(Map.of()).cookie(cookies.access(tokens.access()), cookies.refresh(tokens.refresh())).build();
    }

    @POST
    @Path("/auth/jwt/token/refresh/")
    public Response cookieRefresh(@CookieParam(TokenAuthMechanism.REFRESH_COOKIE) String refreshToken,
                                  @HeaderParam("Origin") String origin, @HeaderParam("Referer") String referer) {
        if (refreshToken == null || refreshToken.isEmpty()) {
            // The seed's front-end polls this every 10 s, logged in or not: cheap, quiet refusal.
            Log.debug("cookie refresh without refresh_token cookie");
            throw ApiException.unauthorized("no refresh_token cookie");
        }
        csrf.check(origin, referer);
        String access = auth.refreshAccess(refreshToken)
                .orElseThrow(() -> ApiException.unauthorized("refresh token is invalid, expired or revoked"));
        return Response.ok(Map.of()).cookie(cookies.access(access)).build();
    }

    @POST
    @Path("/auth/jwt/token/logout/")
    public Response logout(@CookieParam(TokenAuthMechanism.REFRESH_COOKIE) String refreshToken,
                           @CookieParam(TokenAuthMechanism.ACCESS_COOKIE) String accessToken,
                           @HeaderParam("Origin") String origin, @HeaderParam("Referer") String referer) {
        boolean refresh = refreshToken != null && !refreshToken.isEmpty();
        boolean access = accessToken != null && !accessToken.isEmpty();
        if (refresh || access) {
            csrf.check(origin, referer);
        }
        if (refresh) {
            auth.revoke(refreshToken, "refresh");
        }
        if (access) {
            auth.revoke(accessToken, "access"); // the access token ends too, not when it expires
        }
        return Response.ok(Map.of())
                .cookie(cookies.clear(TokenAuthMechanism.ACCESS_COOKIE), cookies.clear(TokenAuthMechanism.REFRESH_COOKIE)).build();
    }
}
