/** Prints the bcrypt hash of the password in args[0], with the library the web service uses. */
public class BcryptHash {
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: BcryptHash PASSWORD");
            System.exit(2);
        }
        System.out.println(io.quarkus.elytron.security.common.BcryptUtil.bcryptHash(args[0], 10));
    }
}
