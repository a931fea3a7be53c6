package dev.stepbystep.shared.tasks.payloads;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/** {@code media.process_image}: write the served copy of post {@code postId}'s uploaded image {@code key}. */
public record ProcessImage(@Positive long postId,
                           @NotNull @Pattern(regexp = "posts/[0-9a-f-]{36}/original\\.(png|jpg|gif|webp)", message = "must be an uploaded image's key") String key) {
}
