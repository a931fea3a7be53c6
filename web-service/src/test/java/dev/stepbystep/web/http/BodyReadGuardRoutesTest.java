package dev.stepbystep.web.http;

import dev.stepbystep.web.posts.CbvPostResource;
import dev.stepbystep.web.posts.FbvPostResource;
import dev.stepbystep.web.posts.PostResource;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The body guard leaves the JSON create routes' bodies to Quarkus REST because their endpoints
 * are non-blocking: Quarkus REST then reads the body on the event loop. Should one of them become
 * blocking (returning a plain value), its body would be read on a worker thread, and slow clients
 * could hold those threads again; this test fails first.
 */
class BodyReadGuardRoutesTest {

    private static String join(String base, String sub) {
        String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String s = sub.startsWith("/") ? sub : "/" + sub;
        return b + s;
    }

    @Test
    void everyJsonCreateRouteTheGuardSkipsIsNonBlocking() {
        List<String> nonBlocking = new ArrayList<>();
        for (Class<?> resource : List.of(PostResource.class, CbvPostResource.class, FbvPostResource.class)) {
            String base = resource.getAnnotation(Path.class).value();
            for (Class<?> c = resource; c != Object.class; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    Consumes consumes = m.getAnnotation(Consumes.class);
                    if (m.isAnnotationPresent(POST.class) && consumes != null && List.of(consumes.value()).contains(MediaType.APPLICATION_JSON)
                            && Uni.class.isAssignableFrom(m.getReturnType())) {
                        Path sub = m.getAnnotation(Path.class);
                        nonBlocking.add(join(base, sub == null ? "/" : sub.value()));
                    }
                }
            }
        }
        Set<String> skipped = BodyReadGuard.NON_BLOCKING_JSON_POSTS;
        assertThat(nonBlocking).as("non-blocking JSON POST routes").containsAll(skipped);
    }
}
