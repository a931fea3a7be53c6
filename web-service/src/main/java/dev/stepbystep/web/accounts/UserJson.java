package dev.stepbystep.web.accounts;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.stepbystep.shared.accounts.User;

/** The seed's user JSON. {@code email} is present only for the user themself and for staff. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UserJson(String email, long id, String firstName, String lastName, boolean profileSetupComplete) {

    public static UserJson of(User u, Viewer viewer) {
        return new UserJson(viewer.maySeeEmailOf(u.id) ? u.email : null, u.id, u.firstName, u.lastName, u.profileSetupComplete);
    }
}
