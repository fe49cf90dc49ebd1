package dev.exchangemaildaemon.simulator.ews;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

import dev.exchangemaildaemon.simulator.ResponseCodes;

/**
 * Parses an EWS request on its own terms (DOM, namespace-aware, DTDs and external entities refused), and checks
 * the SOAP headers every request needs.
 */
final class SoapParser {

    /** The values of the schema's {@code t:ExchangeVersionType}. */
    private static final Set<String> SERVER_VERSIONS = Set.of("Exchange2007", "Exchange2007_SP1", "Exchange2009",
            "Exchange2010", "Exchange2010_SP1", "Exchange2010_SP2", "Exchange2012", "Exchange2013",
            "Exchange2013_SP1", "Exchange2015", "Exchange2016", "V2015_10_05", "V2016_01_06", "V2016_04_13",
            "V2016_07_13", "V2016_10_10", "V2017_01_07", "V2017_04_14", "V2017_07_11", "V2017_10_09",
            "V2018_01_08");

    /** The child elements of {@code t:ConnectingSID} that name the account by address. */
    private static final List<String> CONNECTING_ADDRESSES = List.of("PrimarySmtpAddress", "SmtpAddress",
            "PrincipalName");

    private static final DocumentBuilderFactory FACTORY = hardenedFactory();

    private static final ErrorHandler FAIL_ON_ERROR = new ErrorHandler() {
        @Override
        public void warning(SAXParseException exception) {
        }

        @Override
        public void error(SAXParseException exception) throws SAXException {
            throw exception;
        }

        @Override
        public void fatalError(SAXParseException exception) throws SAXException {
            throw exception;
        }
    };

    private SoapParser() {
    }

    static SoapRequest parse(byte[] body) throws EwsFault {
        Element envelope = document(body);
        if (!Dom.is(envelope, EwsNamespaces.SOAP, "Envelope")) {
            throw EwsFault.schemaValidation("The root element is not a SOAP 1.1 Envelope.");
        }
        Element header = Dom.child(envelope, EwsNamespaces.SOAP, "Header").orElse(null);
        Element soapBody = Dom.required(envelope, EwsNamespaces.SOAP, "Body");
        List<Element> operations = Dom.children(soapBody);
        if (operations.size() != 1 || !EwsNamespaces.MESSAGES.equals(operations.get(0).getNamespaceURI())) {
            throw EwsFault.schemaValidation("The SOAP Body must hold exactly one EWS messages element.");
        }
        requireServerVersion(header);
        return new SoapRequest(impersonatedAddress(header), operations.get(0));
    }

    /**
     * Checks the requested schema version. Exchange would assume Exchange2007 without one; the simulator insists on it,
     * as every request from the daemon must state the version it was written against.
     */
    private static void requireServerVersion(Element header) throws EwsFault {
        Element version = header == null ? null
                : Dom.child(header, EwsNamespaces.TYPES, "RequestServerVersion").orElse(null);
        if (version == null) {
            throw EwsFault.schemaValidation("The simulator requires the t:RequestServerVersion SOAP header.");
        }
        String value = Dom.requiredAttribute(version, "Version");
        if (!SERVER_VERSIONS.contains(value)) {
            throw EwsFault.of(ResponseCodes.INVALID_SERVER_VERSION);
        }
    }

    private static String impersonatedAddress(Element header) throws EwsFault {
        if (header == null) {
            return null;
        }
        Element impersonation = Dom.child(header, EwsNamespaces.TYPES, "ExchangeImpersonation").orElse(null);
        if (impersonation == null) {
            return null;
        }
        Element connectingSid = Dom.required(impersonation, EwsNamespaces.TYPES, "ConnectingSID");
        for (String name : CONNECTING_ADDRESSES) {
            var address = Dom.child(connectingSid, EwsNamespaces.TYPES, name);
            if (address.isPresent()) {
                return Dom.text(address.get());
            }
        }
        throw EwsFault.invalidRequest("The simulator identifies impersonated accounts by address only, not by SID.");
    }

    private static Element document(byte[] body) throws EwsFault {
        try {
            DocumentBuilder builder;
            synchronized (FACTORY) {
                builder = FACTORY.newDocumentBuilder();
            }
            builder.setErrorHandler(FAIL_ON_ERROR);
            return builder.parse(new ByteArrayInputStream(body)).getDocumentElement();
        } catch (SAXException e) {
            throw EwsFault.schemaValidation(e.getMessage());
        } catch (ParserConfigurationException | IOException e) {
            throw new IllegalStateException("cannot parse a request", e);
        }
    }

    private static DocumentBuilderFactory hardenedFactory() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return factory;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser lacks a hardening feature", e);
        }
    }
}
