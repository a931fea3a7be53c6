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
 * Text a person wrote: at most {@link #max()} characters counted as users count them (code
 * points, so an emoji is one, as PostgreSQL's varchar counts), and something visible in it:
 * text of only white space, no-break or zero-width spaces is blank, as DRF's CharField
 * (which strips) finds it.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.TYPE_USE})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = PostText.Validator.class)
public @interface PostText {

    int max();

    String message() default "must not be blank and at most {max} characters";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<PostText, CharSequence> {
        private int max;

        @Override
        public void initialize(PostText annotation) {
            max = annotation.max();
        }

        @Override
        public boolean isValid(CharSequence value, ConstraintValidatorContext context) {
            if (value == null) {
                return message(context, "must not be blank");
            }
            String s = value.toString();
            if (s.codePoints().allMatch(Validator::invisible)) {
                return message(context, "must not be blank");
            }
            long length = s.codePointCount(0, s.length());
            return length <= max || message(context, "must be at most " + max + " characters (got " + length + ")");
        }

        private static boolean invisible(int c) {
            return Character.isWhitespace(c) || Character.isSpaceChar(c) || Character.getType(c) == Character.FORMAT;
        }

        private static boolean message(ConstraintValidatorContext context, String text) {
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(text).addConstraintViolation();
            return false;
        }
    }
}
