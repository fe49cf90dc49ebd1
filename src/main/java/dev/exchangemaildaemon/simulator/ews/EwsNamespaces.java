package dev.exchangemaildaemon.simulator.ews;

import java.util.Map;

/** The namespaces of EWS SOAP messages and the prefixes Exchange writes them with. */
final class EwsNamespaces {

    static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
    static final String MESSAGES = "http://schemas.microsoft.com/exchange/services/2006/messages";
    static final String TYPES = "http://schemas.microsoft.com/exchange/services/2006/types";
    static final String ERRORS = "http://schemas.microsoft.com/exchange/services/2006/errors";
    static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";
    static final String XSD = "http://www.w3.org/2001/XMLSchema";

    /** Prefix to namespace, as in Exchange's responses ({@code h} is the types namespace in SOAP headers). */
    static final Map<String, String> PREFIXES = Map.of(
            "s", SOAP, "m", MESSAGES, "t", TYPES, "e", ERRORS, "h", TYPES, "a", TYPES, "xsi", XSI, "xsd", XSD);

    private EwsNamespaces() {
    }
}
