package dev.stepbystep.worker;

import dev.stepbystep.testing.BackingServices;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Attaches the shared backing services an SMTP server, a chat model provider and S3 (moto) to every @QuarkusTest of this module. */
@WithTestResource(value = BackingServices.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = GreenMailResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = ExtraQueuesResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = MediaS3Resource.class, scope = TestResourceScope.GLOBAL)
public final class UsesBackingServices {
    private UsesBackingServices() {
    }
}
