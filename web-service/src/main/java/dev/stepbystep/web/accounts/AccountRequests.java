package dev.stepbystep.web.accounts;

import dev.stepbystep.web.validation.NoNullCharacters;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Request bodies of the account endpoints. */
public final class AccountRequests {

    private AccountRequests() {
    }

    public record Register(@NotBlank @Email @Size(max = 254) @NoNullCharacters String email,
                           @NotNull @Size(min = 8, max = 128, message = "must be 8 to 128 characters") @NoNullCharacters String password) {
    }

    public record ResendConfirmation(@NotBlank @Email @Size(max = 254) @NoNullCharacters String email) {
    }

    public record Credentials(@NotBlank @Size(max = 254) @NoNullCharacters String email,
                              @NotNull @Size(max = 128) @NoNullCharacters String password) {
    }

    public record Refresh(@NotBlank @Size(max = 4096) @NoNullCharacters String refresh) {
    }

    public record UpdateUser(@Size(max = 150) @NoNullCharacters String firstName, @Size(max = 150) @NoNullCharacters String lastName) {
    }

    public record Registered(long id, String email, String jobId) {
    }

    public record TokenPair(String access, String refresh) {
    }

    public record AccessToken(String access) {
    }
}
