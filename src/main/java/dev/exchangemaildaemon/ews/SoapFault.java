package dev.exchangemaildaemon.ews;

import java.time.Duration;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import dev.exchangemaildaemon.mailbox.MailboxException;

/**
 * Reads a SOAP fault as Exchange writes it: {@code faultstring}, and under {@code detail} the EWS
 * {@code ResponseCode} and, when throttled, {@code MessageXml/Value[@Name='BackOffMilliseconds']}.
 */
final class SoapFault {

    private SoapFault() {
    }

    /** Reads the fault the reader is positioned at. */
    static MailboxException read(XMLStreamReader xml) throws XMLStreamException {
        String faultCode = null;
        String faultString = null;
        String responseCode = null;
        Duration backOff = null;
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (event == XMLStreamConstants.START_ELEMENT) {
                switch (xml.getLocalName()) {
                    case "faultcode" -> faultCode = xml.getElementText();
                    case "faultstring" -> faultString = xml.getElementText();
                    case "ResponseCode" -> responseCode = xml.getElementText().trim();
                    case "Value" -> backOff = backOff(xml.getAttributeValue(null, "Name"), xml.getElementText(), backOff);
                    default -> depth++;
                }
            }
        }
        String code = responseCode != null ? responseCode : localPart(faultCode);
        return EwsErrors.of(code, faultString == null ? "SOAP fault" : faultString.trim(), backOff);
    }

    private static Duration backOff(String name, String text, Duration found) {
        String value = text.trim();
        if ("BackOffMilliseconds".equals(name) && value.matches("[0-9]{1,18}")) {
            return Duration.ofMillis(Long.parseLong(value));
        }
        return found;
    }

    private static String localPart(String qualifiedName) {
        if (qualifiedName == null || qualifiedName.isBlank()) {
            return "SOAP fault";
        }
        String name = qualifiedName.trim();
        return name.substring(name.indexOf(':') + 1);
    }
}
