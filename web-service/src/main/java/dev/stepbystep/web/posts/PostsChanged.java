package dev.stepbystep.web.posts;

/**
 * Fired inside a transaction that changed what post pages show: a post's text, a like, an
 * author's name, or new posts. {@link PostListCache} observes it once the transaction commits
 * ({@code AFTER_SUCCESS}): a rolled-back change invalidates nothing, and no reader can cache the
 * old page after the new version (the bump follows the commit). {@code likedBy}: the user
 * whose likes changed, or null.
 */
public record PostsChanged(Long likedBy) {

    public static PostsChanged content() {
        return new PostsChanged(null);
    }

    public static PostsChanged likesOf(long userId) {
        return new PostsChanged(userId);
    }
}
