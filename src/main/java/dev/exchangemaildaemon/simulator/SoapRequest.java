package dev.exchangemaildaemon.simulator;

import org.w3c.dom.Element;

/**
 * An EWS request as parsed from its SOAP envelope.
 *
 * @param serverVersion        the {@code RequestServerVersion} header's {@code Version}
 * @param impersonatedAddress  the address in the {@code ExchangeImpersonation} header, or null without one
 * @param operation            the SOAP body's single element, such as {@code m:FindItem}
 */
record SoapRequest(String serverVersion, String impersonatedAddress, Element operation) {

    String operationName() {
        return operation.getLocalName();
    }
}
