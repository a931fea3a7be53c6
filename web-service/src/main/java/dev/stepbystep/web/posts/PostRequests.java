package dev.stepbystep.web.posts;

import dev.stepbystep.shared.posts.Post;
import dev.stepbystep.web.validation.NoNullCharacters;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request bodies of the post endpoints. */
public final class PostRequests {

    private PostRequests() {
    }

    public record Write(@NotBlank @Size(max = Post.MAX_BODY_LENGTH) @NoNullCharacters String body) {
    }
}
