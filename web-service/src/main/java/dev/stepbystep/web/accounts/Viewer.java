package dev.stepbystep.web.accounts;

import io.quarkus.security.identity.SecurityIdentity;

/** Who is asking: anonymous, a user, or staff. Decides what a response may show. */
public record Viewer(Long userId, boolean staff) {

    public static final Viewer ANONYMOUS = new Viewer(null, false);

    public static Viewer of(SecurityIdentity identity) {
        if (identity.isAnonymous()) {
            return ANONYMOUS;
        }
        return new Viewer(Long.valueOf(identity.getPrincipal().getName()), identity.hasRole("staff"));
    }

    public boolean authenticated() {
        return userId != null;
    }

    public boolean maySeeEmailOf(Long ownerId) {
        return staff || (userId != null && userId.equals(ownerId));
    }

    public boolean isUser(long id) {
        return userId != null && userId == id;
    }

    public long requireUser() {
        if (userId == null) {
            throw new io.quarkus.security.UnauthorizedException();
        }
        return userId;
    }
}
