package dev.stepbystep.jobs;

import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/** Reading replies that differ between RESP2 (arrays) and RESP3 (maps). */
public final class RedisResponses {

    private RedisResponses() {
    }

    public static boolean isMap(Response r) {
        if (r == null || r.type() != ResponseType.MULTI) {
            return false;
        }
        try {
            return !r.getKeys().isEmpty();
        } catch (RuntimeException notAMap) {
            return false;
        }
    }
}
