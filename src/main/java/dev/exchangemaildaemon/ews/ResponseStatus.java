package dev.exchangemaildaemon.ews;

import java.time.Duration;
import java.util.Optional;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import dev.exchangemaildaemon.ews.messages.ResponseMessageType;
import dev.exchangemaildaemon.mailbox.MailboxException;

/**
 * What EWS says of one outcome, read here and nowhere else: {@code ResponseClass}, {@code ResponseCode},
 * {@code MessageText} and, when the server throttles, {@code MessageXml/Value[@Name='BackOffMilliseconds']}. The
 * same elements come in a response message, whether unmarshalled ({@link ResponseMessageType}) or streamed
 * ({@link GetItem}), and in a SOAP fault's {@code detail}.
 *
 * @see <a href="https://learn.microsoft.com/en-us/exchange/client-developer/web-service-reference/responsecode">ResponseCode</a>
 */
final class ResponseStatus {

    private static final String BACK_OFF = "BackOffMilliseconds";

    private final String responseClass;
    private String responseCode;
    private String messageText = "";
    private Duration backOff;

    private ResponseStatus(String responseClass) {
        this.responseClass = responseClass;
    }

    /** The status of a response message whose {@code ResponseClass} is given; its elements follow by {@link #read}. */
    static ResponseStatus ofClass(String responseClass) {
        return new ResponseStatus(responseClass);
    }

    /** The status of a SOAP fault, which has no ResponseClass: it failed. */
    static ResponseStatus ofFault() {
        return new ResponseStatus(null);
    }

    static ResponseStatus of(ResponseMessageType message) {
        ResponseStatus status = new ResponseStatus(message.responseClass());
        status.responseCode = trimmed(message.responseCode());
        status.messageText = message.messageText() == null ? "" : message.messageText();
        status.backOff = message.messageXmlValue(BACK_OFF).map(ResponseStatus::milliseconds).orElse(null);
        return status;
    }

    /**
     * Takes the element the reader is at, reading it to its end, if it is one of the status's; false, having read
     * nothing, for any other.
     */
    boolean read(XMLStreamReader xml) throws XMLStreamException {
        switch (xml.getLocalName()) {
            case "ResponseCode" -> responseCode = trimmed(xml.getElementText());
            case "MessageText" -> messageText = xml.getElementText();
            case "MessageXml" -> readMessageXml(xml);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** False for Error, and for Warning too: a warned item was not processed (ErrorBatchProcessingStopped). */
    boolean succeeded() {
        return "Success".equals(responseClass);
    }

    /** The ResponseCode; without one, the ResponseClass. */
    String code() {
        return responseCode != null ? responseCode : "ResponseClass " + responseClass;
    }

    /** The ResponseCode, if there was one. */
    Optional<String> responseCode() {
        return Optional.ofNullable(responseCode);
    }

    /** How long the server asked the client to wait, if it did. */
    Optional<Duration> backOff() {
        return Optional.ofNullable(backOff);
    }

    /** The failure this status reports, with the server's back-off if it asked for one. */
    MailboxException error() {
        return EwsErrors.of(code(), messageText, backOff);
    }

    private void readMessageXml(XMLStreamReader xml) throws XMLStreamException {
        while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
            if (BACK_OFF.equals(xml.getAttributeValue(null, "Name"))) {
                Duration asked = milliseconds(xml.getElementText());
                backOff = asked != null ? asked : backOff;
            } else {
                EwsXml.skipElement(xml);
            }
        }
    }

    private static Duration milliseconds(String text) {
        String value = text.trim();
        return value.matches("[0-9]{1,18}") ? Duration.ofMillis(Long.parseLong(value)) : null;
    }

    private static String trimmed(String text) {
        return text == null ? null : text.trim();
    }
}
