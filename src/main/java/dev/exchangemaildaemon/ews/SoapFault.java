package dev.exchangemaildaemon.ews;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import dev.exchangemaildaemon.mailbox.MailboxException;

/**
 * Reads a SOAP fault as Exchange writes it: {@code faultstring}, and under {@code detail} the EWS
 * {@code ResponseCode} and, when throttled, {@code MessageXml/Value[@Name='BackOffMilliseconds']} (read by
 * {@link ResponseStatus}, as in any response message).
 */
final class SoapFault {

    private SoapFault() {
    }

    /** Reads the fault the reader is positioned at. */
    static MailboxException read(XMLStreamReader xml) throws XMLStreamException {
        String faultCode = null;
        String faultString = null;
        ResponseStatus detail = ResponseStatus.ofFault();
        int depth = 1;
        while (depth > 0) {
            int event = xml.next();
            if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            } else if (event == XMLStreamConstants.START_ELEMENT) {
                switch (xml.getLocalName()) {
                    case "faultcode" -> faultCode = xml.getElementText();
                    case "faultstring" -> faultString = xml.getElementText();
                    default -> {
                        if (!detail.read(xml)) {
                            depth++; // an element around the status's, such as detail: look inside
                        }
                    }
                }
            }
        }
        String code = detail.responseCode().orElse(localPart(faultCode));
        return EwsErrors.of(code, faultString == null ? "SOAP fault" : faultString.trim(),
                detail.backOff().orElse(null));
    }

    private static String localPart(String qualifiedName) {
        if (qualifiedName == null || qualifiedName.isBlank()) {
            return "SOAP fault";
        }
        String name = qualifiedName.trim();
        return name.substring(name.indexOf(':') + 1);
    }
}
