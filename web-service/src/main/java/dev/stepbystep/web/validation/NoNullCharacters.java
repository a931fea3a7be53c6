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
 * The text holds no U+0000 and is well-formed Unicode. PostgreSQL cannot store or compare a NUL
 * (the query fails with "invalid byte sequence"), so without this check a NUL in a field became
 * a 500; DRF's CharField refuses it the same way ("Null characters are not allowed."). A lone
 * UTF-16 surrogate (JSON allows the escape "\ud800" alone) has no UTF-8 form and was stored as
 * "?": refused too. Every text field of a request carries it.
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
            if (value == null) {
                return true;
            }
            if (contains(value)) {
                return false;
            }
            if (hasLoneSurrogate(value)) {
                context.disableDefaultConstraintViolation();
                context.buildConstraintViolationWithTemplate("must be valid Unicode text (it holds a lone UTF-16 surrogate)")
                        .addConstraintViolation();
                return false;
            }
            return true;
        }

        /** True when {@code value} holds a surrogate that is not half of a pair. */
        public static boolean hasLoneSurrogate(CharSequence value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else if (Character.isSurrogate(c)) {
                    return true;
                }
            }
            return false;
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
