package dev.stepbystep.web.validation;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The text holds no U+0000. PostgreSQL cannot store or compare it (the query fails with "invalid
 * byte sequence"), so without this check a NUL in a field became a 500. DRF's CharField refuses
 * it the same way ("Null characters are not allowed."). Every text field of a request carries it.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = NoNullCharacters.Validator.class)
public @interface NoNullCharacters {

    String MESSAGE = "null characters are not allowed";

    String message() default MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<NoNullCharacters, CharSequence> {
        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            return value == null || !contains(value);
        }

        /** True when {@code value} holds a NUL character (for inputs outside Bean Validation: query parameters). */
        public static boolean contains(CharSequence value) {
            for (int i = 0; i < value.length(); i++) {
                if (value.charAt(i) == '\0') {
                    return true;
                }
            }
            return false;
        }
    }
}
