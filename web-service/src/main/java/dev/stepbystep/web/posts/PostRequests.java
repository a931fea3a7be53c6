package dev.stepbystep.web.posts;

import dev.stepbystep.shared.posts.Post;
import dev.stepbystep.web.validation.NoNullCharacters;
import dev.stepbystep.web.validation.PostText;

/** Request bodies of the post endpoints. */
public final class PostRequests {

    private PostRequests() {
    }

    public record Write(@PostText(max = Post.MAX_BODY_LENGTH) @NoNullCharacters String body) {
    }
}
