package dev.exchangemaildaemon.simulator.ews;

import org.w3c.dom.Element;

/**
 * An EWS request as parsed from its SOAP envelope.
 *
 * @param impersonatedAddress  the address in the {@code ExchangeImpersonation} header, or null without one
 * @param operation            the SOAP body's single element, such as {@code m:FindItem}
 */
record SoapRequest(String impersonatedAddress, Element operation) {

    String operationName() {
        return operation.getLocalName();
    }
}
