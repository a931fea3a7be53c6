package dev.stepbystep.shared.accounts;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Optional;

/** An account. Email is the login; it is unique whatever its case (see V1 migration). */
@Entity
@Table(name = "app_user")
public class User extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false, length = 254)
    public String email;

    /** A password hash, never the password. */
    @Column(name = "password", nullable = false)
    public String passwordHash;

    @Column(name = "first_name", nullable = false, length = 150)
    public String firstName = "";

    @Column(name = "last_name", nullable = false, length = 150)
    public String lastName = "";

    @Column(name = "profile_setup_complete", nullable = false)
    public boolean profileSetupComplete;

    @Column(name = "is_active", nullable = false)
    public boolean active;

    @Column(name = "is_staff", nullable = false)
    public boolean staff;

    @Column(name = "is_superuser", nullable = false)
    public boolean superuser;

    @Column(name = "date_joined", nullable = false)
    public Instant dateJoined = Instant.now();

    @Column(name = "last_login")
    public Instant lastLogin;

    /**
     * The account of an address, whatever its case and surrounding white space ({@link Emails}).
     * Both sides are lower-cased by PostgreSQL, as the unique index does: Java lower-cases some
     * letters differently ("İ"), and a lookup that misses what the index matches let a
     * registration reach a unique violation.
     */
    public static Optional<User> findByEmail(String email) {
        return find("lower(email) = lower(?1)", Emails.normalize(email)).firstResultOptional();
    }

    /** {@link #findByEmail}, with the row locked until the transaction ends (a sign-up replacing a pending one). */
    public static Optional<User> findByEmailForUpdate(String email) {
        return find("lower(email) = lower(?1)", Emails.normalize(email))
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }
}
