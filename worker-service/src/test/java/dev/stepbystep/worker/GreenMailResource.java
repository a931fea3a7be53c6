package dev.stepbystep.worker;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.stepbystep.testing.PackagedService;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/** A real SMTP server (GreenMail) on 127.0.0.1 for the worker's tests; inject it with {@link InjectGreenMail}. */
public class GreenMailResource implements QuarkusTestResourceLifecycleManager {

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface InjectGreenMail {
    }

    private GreenMail greenMail;

    /**
     * An SMTP server on 127.0.0.1 and a free port, not started. GreenMail gives its server thread
     * 2 s to come up by default, which a loaded 2-core machine running three test classes side by
     * side has missed ("Could not start mail server"); 30 s only matters when the machine is slow.
     */
    public static GreenMail smtpServer() {
        ServerSetup setup = new ServerSetup(PackagedService.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        setup.setServerStartupTimeout(30_000);
        return new GreenMail(setup);
    }

    @Override
    public Map<String, String> start() {
        greenMail = smtpServer();
        greenMail.start();
        return Map.of("EMAIL_HOST", "127.0.0.1", "EMAIL_PORT", Integer.toString(greenMail.getSmtp().getPort()),
                "quarkus.mailer.start-tls", "DISABLED");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(greenMail, new TestInjector.AnnotatedAndMatchesType(InjectGreenMail.class, GreenMail.class));
    }

    @Override
    public void stop() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }
}
