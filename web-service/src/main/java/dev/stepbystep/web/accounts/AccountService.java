package dev.stepbystep.web.accounts;

import dev.stepbystep.shared.accounts.ActivationTokens;
import dev.stepbystep.shared.accounts.Emails;
import dev.stepbystep.shared.accounts.User;
import dev.stepbystep.shared.config.AppConfig;
import dev.stepbystep.jobs.client.EnqueueOptions;
import dev.stepbystep.jobs.client.JobQueue;
import dev.stepbystep.shared.tasks.Tasks;
import dev.stepbystep.shared.tasks.payloads.SendConfirmationEmail;
import dev.stepbystep.web.accounts.AccountRequests.Register;
import dev.stepbystep.web.accounts.AccountRequests.Registered;
import dev.stepbystep.web.accounts.AccountRequests.UpdateUser;
import dev.stepbystep.web.auth.AuthService;
import dev.stepbystep.web.auth.Passwords;
import dev.stepbystep.web.errors.ApiException;
import io.quarkus.logging.Log;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class AccountService {

    @Inject
    JobQueue jobs;

    @Inject
    ActivationTokens tokens;

    @Inject
    AppConfig appConfig;

    @Inject
    dev.stepbystep.web.WebConfig config;

    @Inject
    dev.stepbystep.web.auth.RateLimiter limiter;

    @Inject
    dev.stepbystep.web.auth.LoginRateLimiter loginLimiter;

    @Inject
    jakarta.enterprise.event.Event<dev.stepbystep.web.posts.PostsChanged> postChanges;

    /**
     * Creates an inactive account and enqueues its confirmation email in the same transaction,
     * through the outbox: the email job is delivered if and only if the account commits, and no
     * worker reads it before the account is visible. Redis being down does not fail the sign-up;
     * the email goes out once Redis is back.
     *
     * <p>An address whose account was never activated is taken by whoever signs up with it last:
     * the pending account gets the new password and a new email, and every earlier link and
     * registrant proof stops working (both cover the password hash). So an address registered by
     * someone else (pre-account hijacking) returns to its owner by signing up.
     */
    @Transactional
    public Registration register(Register request, String clientAddress) {
        var limits = config.register();
        limiter.count("register:addr:" + clientAddress, limits.perAddress(), limits.window(), "sign-ups from this address");
        // Counted for every sign-up, before any lookup, so a 429 says nothing about the account.
        limiter.count("register:acct:" + Emails.key(request.email()), limits.perAccount(), limits.window(), "sign-ups of this email address");
        String email = Emails.normalize(request.email());
        Passwords.weakness(request.password(), email).ifPresent(why -> {
            throw ApiException.badRequest("password: " + why);
        });
        // Hashed before the lookup: an address that has an account is refused after the same
        // work as one that does not, so the answer's timing does not tell them apart.
        String passwordHash = AuthService.hash(request.password());
        User user = User.findByEmailForUpdate(email).orElse(null);
        if (user != null && (user.active || user.lastLogin != null)) {
            throw ApiException.badRequest("email: cannot register with this email address");
        }
        boolean replaced = user != null;
        if (user == null) {
            user = new User();
            user.email = email;
        }
        user.passwordHash = passwordHash;
        user.persistAndFlush();
        String jobId = jobs.enqueue(Tasks.SEND_CONFIRMATION_EMAIL, new SendConfirmationEmail(user.id, appConfig.frontendUrl().toString()),
                EnqueueOptions.defaults().owner(user.id).idempotencyKey("confirmation-" + user.id + "-" + Integer.toHexString(passwordHash.hashCode())))
                .jobId();
        Log.infof("registered user=%d%s confirmation_job=%s", user.id, replaced ? " (pending registration replaced)" : "", jobId);
        return new Registration(new Registered(user.id, user.email, jobId), tokens.registrantProof(user));
    }

    /** A sign-up's answer, and the proof its client keeps to activate without the password. */
    public record Registration(Registered body, String registrantProof) {
    }

    /**
     * Counts the request against both limits, then, off the request thread (so the answer takes
     * the same time whether the account exists or not), queues a new confirmation email for an
     * account with this address that was never activated. Anything else is silently nothing.
     */
    public void resendConfirmation(String email, String clientAddress) {
        var limits = config.resendConfirmation();
        limiter.count("resend:acct:" + Emails.key(email), limits.perAccount(), limits.window(), "confirmation emails for this address");
        limiter.count("resend:addr:" + clientAddress, limits.perAddress(), limits.window(), "confirmation email requests");
        Thread.ofVirtual().name("confirmation-resend").start(() -> {
            try {
                QuarkusTransaction.requiringNew().run(() -> User.findByEmail(email)
                        .filter(user -> !user.active && user.lastLogin == null)
                        .ifPresent(user -> {
                            String jobId = jobs.enqueue(Tasks.SEND_CONFIRMATION_EMAIL,
                                    new SendConfirmationEmail(user.id, appConfig.frontendUrl().toString()),
                                    EnqueueOptions.defaults().owner(user.id)).jobId();
                            Log.infof("confirmation email resent user=%d job=%s", user.id, jobId);
                        }));
            } catch (RuntimeException e) {
                Log.warnf("confirmation resend not queued: %s", e.getMessage());
            }
        });
    }

    /**
     * Activates the account of a valid activation link, when the request also shows it comes
     * from whoever chose the password: the registrant proof their browser kept from the sign-up,
     * or the password itself. The link alone proves only the mailbox. Anything else is a 400 and
     * changes nothing.
     */
    @Transactional
    public User activate(String uidb64, String token, String registrantProof, String password, String clientAddress) {
        User user = ActivationTokens.userId(uidb64).flatMap(id -> User.<User>findByIdOptional(id))
                .orElseThrow(() -> ApiException.badRequest("activation link is invalid or expired"));
        if (!tokens.isValid(user, token)) {
            throw ApiException.badRequest("activation link is invalid or expired");
        }
        boolean proven = tokens.isRegistrant(user, registrantProof);
        if (!proven && password != null) {
            loginLimiter.attempt("id:" + user.id, clientAddress);
            proven = Passwords.matches(password, user.passwordHash);
        }
        if (!proven) {
            throw ApiException.badRequest("activation needs the browser that signed up, or the account's password; "
                    + "if you did not sign up for this account, sign up again with this address to choose your own password");
        }
        user.active = true;
        user.lastLogin = Instant.now();
        Log.infof("activated user=%d", user.id);
        return user;
    }

    @Transactional
    public User update(long userId, UpdateUser request) {
        // A valid token for a deleted account: treat as not logged in.
        User user = find(userId).orElseThrow(io.quarkus.security.UnauthorizedException::new);
        if (request.firstName() != null) {
            user.firstName = request.firstName().strip();
        }
        if (request.lastName() != null) {
            user.lastName = request.lastName().strip();
        }
        user.profileSetupComplete = !user.firstName.isEmpty() && !user.lastName.isEmpty();
        postChanges.fire(dev.stepbystep.web.posts.PostsChanged.content()); // author names appear in cached post pages
        return user;
    }

    @Transactional
    public Optional<User> find(long id) {
        return User.findByIdOptional(id);
    }

    /** Users by id; only active ones unless {@code everyone} (staff). */
    @Transactional
    public List<User> list(int offset, int limit, boolean everyone) {
        var query = everyone ? User.<User>findAll(Sort.by("id")) : User.<User>find("active", Sort.by("id"), true);
        return query.range(offset, offset + limit - 1).list();
    }

    @Transactional
    public long count(boolean everyone) {
        return everyone ? User.count() : User.count("active", true);
    }

    /** One user; an inactive one only for staff (the list does not show them either). */
    @Transactional
    public Optional<User> findVisible(long id, boolean everyone) {
        return User.<User>findByIdOptional(id).filter(u -> everyone || u.active);
    }
}
