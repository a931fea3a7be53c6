package dev.stepbystep.testing;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a {@code @ConfigMapping}'s constraints the way Quarkus does at start-up (SmallRye Config
 * with Bean Validation), without starting an application: a test gives the properties an operator
 * might set and gets back the refusals a packaged service would print.
 */
public final class ConfigConstraints {

    // Parameter interpolation: messages like "must be greater than or equal to 1" without an EL implementation.
    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private ConfigConstraints() {
    }

    /** The validation problems of {@code mapping} with {@code properties}; empty when it would start. */
    public static List<String> problems(Class<?> mapping, Map<String, String> properties) {
        try {
            new SmallRyeConfigBuilder()
                    .withMapping(mapping)
                    .withConverter(Duration.class, 200, new DurationConverter()) // Quarkus' "5S", "100MS", "P1D"
                    .withSources(new PropertiesConfigSource(properties, "test", 500))
                    .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                    .build();
            return List.of();
        } catch (ConfigValidationException e) {
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < e.getProblemCount(); i++) {
                problems.add(e.getProblem(i).getMessage());
            }
            return problems;
        }
    }
}
