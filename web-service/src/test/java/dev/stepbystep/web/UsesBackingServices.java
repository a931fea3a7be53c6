package dev.stepbystep.web;

import dev.stepbystep.testing.BackingServices;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Attaches the shared backing-services resource to every @QuarkusTest of this module. */
@WithTestResource(value = BackingServices.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = WebTestConfig.class, scope = TestResourceScope.GLOBAL)
public final class UsesBackingServices {
    private UsesBackingServices() {
    }
}
