package dev.stepbystep.web.posts;

import jakarta.ws.rs.Path;

/** The seed's DRF class-based view routes: the same as the canonical ones. */
@Path("/api/drf/cbv/posts")
public class CbvPostResource extends PostRoutes {
}
