package dev.stepbystep.web.posts;

import dev.stepbystep.web.accounts.UserJson;

import java.time.Instant;

/** The seed's post JSON; {@code liked} is for the caller, {@code created_by} null once the author is gone. */
public record PostJson(long id, String body, UserJson createdBy, Instant modifiedOn, boolean liked, long likeCount, String image) {
}
