package dev.exchangemaildaemon.outgoing;

/**
 * Why a message was not sent, as an SMTP reply code and a reason a person can act on. A permanent refusal
 * (5xx) will not go away by trying again; a transient one (4xx: throttled, unreachable) should be retried.
 */
public class SendRefusal extends Exception {

    private final int smtpCode;
    private final String enhancedCode;

    SendRefusal(int smtpCode, String enhancedCode, String reason) {
        super(reason, null, false, false);
        this.smtpCode = smtpCode;
        this.enhancedCode = enhancedCode;
    }

    static SendRefusal senderNotAllowed(String sender) {
        return new SendRefusal(550, "5.7.1", "<" + sender + "> is not one of mail.outgoing.senders, so the daemon"
                + " may not send as it");
    }

    static SendRefusal tooLarge(long size, long limit) {
        return new SendRefusal(552, "5.3.4", "the message is larger than the " + limit + " bytes allowed"
                + (size >= 0 ? " (" + size + " bytes)" : ""));
    }

    public boolean permanent() {
        return smtpCode >= 500;
    }

    public int smtpCode() {
        return smtpCode;
    }

    /** The reason with its enhanced status code in front, as an SMTP reply carries it. */
    public String reply() {
        return enhancedCode + " " + getMessage();
    }
}
