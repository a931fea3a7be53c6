package dev.stepbystep.jobs;

import io.vertx.mutiny.redis.client.Response;
import io.vertx.redis.client.ResponseType;

import java.util.HashMap;
import java.util.Map;

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

    /** A Redis hash as a map, whether Redis answered in RESP3 (a map) or RESP2 (a flat array). */
    public static Map<String, String> hash(Response r) {
        Map<String, String> map = new HashMap<>();
        if (r == null || r.size() == 0) {
            return map;
        }
        if (isMap(r)) {
            for (String k : r.getKeys()) {
                map.put(k, r.get(k).toString());
            }
        } else {
            for (int i = 0; i + 1 < r.size(); i += 2) {
                map.put(r.get(i).toString(), r.get(i + 1).toString());
            }
        }
        return map;
    }
}
