package dev.stepbystep.web.accounts;

import dev.stepbystep.web.PageJson;
import dev.stepbystep.web.accounts.AccountRequests.Register;
import dev.stepbystep.web.accounts.AccountRequests.Registered;
import dev.stepbystep.web.accounts.AccountRequests.ResendConfirmation;
import dev.stepbystep.web.accounts.AccountRequests.UpdateUser;
import dev.stepbystep.web.auth.AuthCookies;
import dev.stepbystep.web.auth.AuthService;
import dev.stepbystep.web.accounts.AccountRequests.TokenPair;
import dev.stepbystep.web.errors.ApiException;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.net.URI;
import java.util.Map;

@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    @Inject
    AccountService accounts;

    @Inject
    AuthService auth;

    @Inject
    AuthCookies cookies;

    @Inject
    SecurityIdentity identity;

    @Inject
    dev.stepbystep.web.auth.ClientAddress clientAddress;

    @Inject
    dev.stepbystep.shared.config.AppConfig appConfig;

    /** Creates an inactive account; the confirmation email goes out as a job ({@code job_id}). */
    @POST
    @Path("/register/")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(@Valid @NotNull Register request, @Context io.vertx.core.http.HttpServerRequest http) {
        AccountService.Registration registration = accounts.register(request, clientAddress.of(http));
        Registered registered = registration.body();
        return Response.created(URI.create("/api/users/" + registered.id() + "/")).entity(registered)
                .cookie(cookies.registration(registration.registrantProof(), appConfig.activationTtl())).build();
    }

    /**
     * Sends a new confirmation email to an account that was never activated. Always 202 with the
     * same body, before any lookup, so the answer says nothing about which addresses have
     * accounts; limited per address asked about and per client address (429).
     */
    @POST
    @Path("/resend-confirmation/")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response resendConfirmation(@Valid @NotNull ResendConfirmation request, @Context io.vertx.core.http.HttpServerRequest http) {
        accounts.resendConfirmation(request.email(), clientAddress.of(http));
        return Response.accepted(Map.of("detail", "if an account with this address awaits confirmation, a new email is on its way")).build();
    }

    /**
     * Activates the account of an emailed link and logs it in (sets the auth cookies). The link
     * proves the mailbox; the request must also prove the registrant: the {@code registration}
     * cookie the sign-up set in this browser (the seed's verify page posts no body), or
     * {@code {"password": "..."}} from anywhere else. See docs/security.md, pre-account hijacking.
     */
    @POST
    @Path("/activate/{uidb64}/{token}/")
    public Response activate(@PathParam("uidb64") String uidb64, @PathParam("token") String token,
                             @CookieParam(AuthCookies.REGISTRATION_COOKIE) String registrantProof, String body,
                             @Context io.vertx.core.http.HttpServerRequest http) {
        String password = ActivationBody.password(body);
        TokenPair tokens = auth.issue(accounts.activate(uidb64, token, registrantProof, password, clientAddress.of(http)));
        return Response.ok(Map.of()).cookie(cookies.access(tokens.access()), cookies.refresh(tokens.refresh()),
                cookies.clearRegistration()).build();
    }

    @GET
    @Path("/profile/")
    @Authenticated
    public UserJson profile() {
        Viewer viewer = Viewer.of(identity);
        return accounts.find(viewer.requireUser()).map(u -> UserJson.of(u, viewer))
                .orElseThrow(io.quarkus.security.UnauthorizedException::new);
    }

    @PATCH
    @Path("/update-user/")
    @Authenticated
    @Consumes(MediaType.APPLICATION_JSON)
    public UserJson update(@Valid @NotNull UpdateUser request) {
        Viewer viewer = Viewer.of(identity);
        return UserJson.of(accounts.update(viewer.requireUser(), request), viewer);
    }

    @GET
    @Path("/users/")
    public PageJson<UserJson> users(@QueryParam("limit") String limit, @QueryParam("offset") String offset, @Context UriInfo uri) {
        PageJson.Window window = PageJson.Window.parse(limit, offset);
        Viewer viewer = Viewer.of(identity);
        return PageJson.of(accounts.list(window.offset(), window.limit(), viewer.staff()).stream().map(u -> UserJson.of(u, viewer)).toList(),
                accounts.count(viewer.staff()), window, uri);
    }

    @GET
    @Path("/users/{id}/")
    public UserJson user(@PathParam("id") String id) {
        Viewer viewer = Viewer.of(identity);
        return Ids.parse(id).flatMap(userId -> accounts.findVisible(userId, viewer.staff() || viewer.isUser(userId))).map(u -> UserJson.of(u, viewer))
                .orElseThrow(() -> ApiException.notFound("no user " + Ids.abbreviate(id)));
    }
}
