package dev.stepbystep.web.posts;

import jakarta.ws.rs.Path;

/** Canonical post routes. */
@Path("/api/posts")
public class PostResource extends PostRoutes {
}
