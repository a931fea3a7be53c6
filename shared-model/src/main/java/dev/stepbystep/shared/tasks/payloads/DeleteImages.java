package dev.stepbystep.shared.tasks.payloads;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/** {@code media.delete_images}: delete these stored images (of a deleted post). */
public record DeleteImages(@NotNull @NotEmpty @Size(max = 10)
                           List<@NotNull @Pattern(regexp = "posts/[0-9a-f-]{36}/(original|display)\\.(png|jpg|gif|webp)", message = "must be an image key") String> keys) {
}
