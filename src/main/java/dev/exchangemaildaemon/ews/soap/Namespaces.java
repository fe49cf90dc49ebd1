package dev.exchangemaildaemon.ews.soap;

/** The XML namespaces of an EWS exchange. */
public final class Namespaces {

    public static final String SOAP = "http://schemas.xmlsoap.org/soap/envelope/";
    public static final String MESSAGES = "http://schemas.microsoft.com/exchange/services/2006/messages";
    public static final String TYPES = "http://schemas.microsoft.com/exchange/services/2006/types";

    private Namespaces() {
    }
}
