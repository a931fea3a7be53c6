package dev.stepbystep.shared.tasks.payloads;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** {@code accounts.send_confirmation_email}: email the activation link to a new account. */
public record SendConfirmationEmail(
        @Positive long userId,
        @NotBlank @Size(max = 2000) @Pattern(regexp = "https?://\\S+", message = "must be an http(s) URL") String frontendUrl) {
}
